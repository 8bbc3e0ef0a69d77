// When is "the start of the next school day"? Pure rules over a setting's calendar: terms, INSET days,
// bank holidays, weekends, and the time its day starts, in UK local time (Europe/London) across the
// clock changes.
import { addDays, londonInstant, londonWallClock, weekdayOf } from '../platform/time/london-time.ts'

export type IsoDate = string // YYYY-MM-DD

export interface Term { start: IsoDate, end: IsoDate }

export interface SchoolCalendar {
  /** term periods; a school day is a weekday inside a term */
  terms: Term[]
  /** days inside a term when pupils are not in (training days, closures) */
  insetDays: IsoDate[]
  /** England's bank holidays (each on the day it is observed) */
  bankHolidays: IsoDate[]
  /** when the school day starts, local time, HH:MM */
  dayStarts: string
}

/** The instant a London wall-clock time (HH:MM) happens on a date (a time in the spring gap reads as if the clocks had gone forward). */
export function londonTime(date: IsoDate, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number]
  return new Date(londonInstant(date, hours * 60 + minutes))
}

export function isSchoolDay(calendar: SchoolCalendar, date: IsoDate): boolean {
  if (weekdayOf(date) >= 5) return false
  if (!calendar.terms.some((term) => term.start <= date && date <= term.end)) return false
  if (calendar.bankHolidays.includes(date) || calendar.insetDays.includes(date)) return false
  return true
}

export class NoSchoolDayError extends Error {}

/**
 * The start of the first school day that starts after `reportedAt`: today's start if the report comes
 * before it, otherwise the next school day's. Weekends, holidays, bank holidays and INSET days are skipped.
 */
export function nextSchoolDayStart(calendar: SchoolCalendar, reportedAt: Date, searchDays = 400): Date {
  let date = londonWallClock(reportedAt).date
  for (let i = 0; i <= searchDays; i++, date = addDays(date, 1)) {
    if (!isSchoolDay(calendar, date)) continue
    const start = londonTime(date, calendar.dayStarts)
    if (start.getTime() > reportedAt.getTime()) return start
  }
  throw new NoSchoolDayError(`No school day in the ${searchDays} days after ${reportedAt.toISOString()}: the setting's term dates need adding`)
}

/**
 * The partnership's deadline rule. The statutory standard (Domestic Abuse Act 2021 s49A, in force since
 * 7 November 2025) is the start of the next school day; some schemes kept an older local rule (by noon
 * of that day), which falls short of it and is shown as such on the council's dashboard.
 */
export const DEADLINE_RULES = {
  'statutory': { label: 'before the start of the next school day', meetsStatutoryStandard: true },
  'local-noon': { label: 'by noon of the next school day (an older local rule)', meetsStatutoryStandard: false }
} as const
export type DeadlineRule = keyof typeof DEADLINE_RULES

/** The deadline under a rule, given the start of the next school day. */
export function deadlineUnder(rule: DeadlineRule, nextDayStart: Date): Date {
  if (rule === 'statutory') return nextDayStart
  return londonTime(londonWallClock(nextDayStart).date, '12:00')
}
