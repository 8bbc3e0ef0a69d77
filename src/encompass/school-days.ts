// When is "the start of the next school day"? Pure rules over a setting's calendar: terms, INSET days,
// bank holidays, weekends, and the time its day starts, in UK local time (Europe/London) across the
// clock changes.

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

const ZONE = 'Europe/London'
const parts = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })

/** The local date and time in London of an instant. */
export function londonParts(at: Date): { date: IsoDate, time: string } {
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]))
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` }
}

function offsetMinutes(at: Date): number {
  const { date, time } = londonParts(at)
  const asUtc = Date.parse(`${date}T${time}Z`)
  return Math.round((asUtc - at.getTime()) / 60_000)
}

/** The instant a London wall-clock time happens (a time in the spring gap reads as if the clocks had gone forward). */
export function londonTime(date: IsoDate, time: string): Date {
  const wall = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`)
  let guess = wall - offsetMinutes(new Date(wall)) * 60_000
  guess = wall - offsetMinutes(new Date(guess)) * 60_000
  return new Date(guess)
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export function isSchoolDay(calendar: SchoolCalendar, date: IsoDate): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay()
  if (weekday === 0 || weekday === 6) return false
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
  let date = londonParts(reportedAt).date
  for (let i = 0; i <= searchDays; i++, date = addDays(date, 1)) {
    if (!isSchoolDay(calendar, date)) continue
    const start = londonTime(date, calendar.dayStarts)
    if (start.getTime() > reportedAt.getTime()) return start
  }
  throw new NoSchoolDayError(`No school day in the ${searchDays} days after ${reportedAt.toISOString()}: the setting's term dates need adding`)
}
