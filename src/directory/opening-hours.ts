// Opening hours as pure rules: a week of periods in UK local time, perhaps crossing midnight (21:00 to
// 02:00), or 24 hours a day, with what happens on England's bank holidays; whether a service is open at
// an instant, when it next opens, and how to say so in words. Nothing here reads the clock.
import { addDays, londonInstant, londonWallClock, weekdayOf } from '../platform/time/london-time.ts'
import { isEnglandBankHoliday } from '../platform/time/bank-holidays.ts'

export const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const
export type Day = typeof DAYS[number]
export const DAY_NAMES: Record<Day, string> = {
  monday: 'Monday', tuesday: 'Tuesday', wednesday: 'Wednesday', thursday: 'Thursday', friday: 'Friday', saturday: 'Saturday', sunday: 'Sunday'
}

/**
 * A time the service opens and the time it closes, "HH:MM" in UK local time. A closing time at or
 * before the opening time is on the next day: 21:00 to 02:00 opens in the evening and closes in the
 * small hours of the next morning. 24:00 is the midnight at the end of the day.
 */
export interface Period { opens: string, closes: string }

/**
 * On a bank holiday, periods that start that day follow this rule (a period that started the evening
 * before and runs past midnight carries on): closed; the usual hours for that day of the week; or
 * special hours.
 */
export type BankHolidayRule = { kind: 'closed' } | { kind: 'usual' } | { kind: 'special', periods: Period[] }

export type OpeningHours =
  /** 24 hours a day, every day, bank holidays and clock changes included */
  | { kind: 'always' }
  /** no set hours: a website or information to read at any time */
  | { kind: 'none' }
  | { kind: 'weekly', week: Record<Day, Period[]>, bankHolidays: BankHolidayRule }

export type OpenState =
  | { status: 'always' }
  | { status: 'no-hours' }
  /** closes: the instant it next closes (after any period that follows on without a break), if within a fortnight */
  | { status: 'open', closes: number | undefined }
  /** opens: the instant it next opens, if within about a year */
  | { status: 'closed', opens: number | undefined }

export type IsBankHoliday = (date: string) => boolean

// ---------------------------------------------------------------------------------------------------
// Reading and writing times

/** Minutes after midnight for "09:15", "9.15", "9:15am", "9am", "5pm", "24:00"; undefined if not a time. */
export function parseTime(text: string, options: { allowEndOfDay?: boolean } = {}): number | undefined {
  const value = text.trim().toLowerCase().replace(/\s+/g, '')
  if (value === 'midnight') return options.allowEndOfDay ? 1440 : 0
  if (value === 'midday' || value === 'noon') return 720
  const twelveHour = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)$/.exec(value)
  if (twelveHour) {
    const hour = Number(twelveHour[1])
    const minute = Number(twelveHour[2] ?? '0')
    if (hour < 1 || hour > 12 || minute > 59) return undefined
    return ((hour % 12) + (twelveHour[3] === 'pm' ? 12 : 0)) * 60 + minute
  }
  const twentyFourHour = /^(\d{1,2})[:.](\d{2})$/.exec(value)
  if (!twentyFourHour) return undefined
  const hour = Number(twentyFourHour[1])
  const minute = Number(twentyFourHour[2])
  if (minute > 59) return undefined
  if (hour === 24 && minute === 0) return options.allowEndOfDay ? 1440 : undefined
  if (hour > 23) return undefined
  return hour * 60 + minute
}

const pad = (n: number) => String(n).padStart(2, '0')

/** "HH:MM" for minutes after midnight (1440 is "24:00"). */
export function clockTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
}

/** A time as GOV.UK writes it: 9am, 5:15pm, midday, midnight. */
export function spokenTime(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440
  if (m === 0) return 'midnight'
  if (m === 720) return 'midday'
  const hour = Math.floor(m / 60)
  const minute = m % 60
  const h12 = hour % 12 === 0 ? 12 : hour % 12
  return `${h12}${minute ? `:${pad(minute)}` : ''}${hour < 12 ? 'am' : 'pm'}`
}

function minutesOf(period: Period): { opens: number, closes: number } {
  const opens = parseTime(period.opens)
  const closes = parseTime(period.closes, { allowEndOfDay: true })
  if (opens === undefined || closes === undefined) throw new Error(`Not a period: ${period.opens} to ${period.closes}`)
  return { opens, closes }
}

/** Whether a period runs past midnight into the next day. */
export function crossesMidnight(period: Period): boolean {
  const { opens, closes } = minutesOf(period)
  return closes <= opens && closes !== 0
}

/** "9:15am to 5:15pm", "9pm to 2am the next day", "7pm to midnight". */
export function describePeriod(period: Period): string {
  const { opens, closes } = minutesOf(period)
  if (opens === closes || (opens === 0 && closes === 1440)) return opens === 0 ? 'all day' : `24 hours from ${spokenTime(opens)}`
  return `${spokenTime(opens)} to ${spokenTime(closes)}${crossesMidnight(period) ? ' the next day' : ''}`
}

export function describePeriods(periods: Period[]): string {
  if (periods.length === 0) return 'Closed'
  const text = periods.map(describePeriod).join(', and ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * A day's periods as an editor types them: "09:15-17:15", "9am to 5pm", "10:00-13:00, 14:00-16:00",
 * "21:00-02:00"; empty or "closed" for none.
 */
export function parsePeriods(text: string): { periods: Period[] } | { error: string } {
  const value = text.trim()
  if (value === '' || /^closed$/i.test(value)) return { periods: [] }
  const periods: Period[] = []
  for (const part of value.split(/\s*(?:,|;|\band\b)\s*/i).filter((p) => p !== '')) {
    const match = /^(.+?)\s*(?:-|–|—|\bto\b)\s*(.+)$/i.exec(part.trim())
    if (!match) return { error: `Enter times like 09:00-17:00, or 21:00-02:00 for a night that ends the next day` }
    const opens = parseTime(match[1]!)
    const closes = parseTime(match[2]!, { allowEndOfDay: true })
    if (opens === undefined) return { error: `"${match[1]}" is not a time: enter times like 09:00 or 9am` }
    if (closes === undefined) return { error: `"${match[2]}" is not a time: enter times like 17:00 or 5pm` }
    periods.push({ opens: clockTime(opens), closes: clockTime(closes) })
  }
  periods.sort((a, b) => minutesOf(a).opens - minutesOf(b).opens)
  for (let i = 1; i < periods.length; i++) {
    const previous = minutesOf(periods[i - 1]!)
    const previousEnd = previous.closes <= previous.opens ? previous.closes + 1440 : previous.closes
    if (minutesOf(periods[i]!).opens < previousEnd) return { error: 'The times overlap: enter each period once' }
  }
  return { periods }
}

/** A day's periods written back the way an editor types them. */
export function formatPeriods(periods: Period[]): string {
  return periods.map((p) => `${p.opens}-${p.closes}`).join(', ')
}

// ---------------------------------------------------------------------------------------------------
// Reading stored hours

function isPeriod(value: unknown): value is Period {
  if (!value || typeof value !== 'object') return false
  const { opens, closes } = value as Record<string, unknown>
  return typeof opens === 'string' && typeof closes === 'string' && parseTime(opens) !== undefined && parseTime(closes, { allowEndOfDay: true }) !== undefined
}

/** Stored (JSON) hours, checked; anything unreadable is "no set hours" rather than a guess. */
export function asOpeningHours(value: unknown): OpeningHours {
  const v = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> | null
  if (!v || typeof v !== 'object') return { kind: 'none' }
  if (v.kind === 'always') return { kind: 'always' }
  if (v.kind !== 'weekly' || !v.week || typeof v.week !== 'object') return { kind: 'none' }
  const weekIn = v.week as Record<string, unknown>
  const week = Object.fromEntries(DAYS.map((day) => [day, Array.isArray(weekIn[day]) ? (weekIn[day] as unknown[]).filter(isPeriod) : []])) as Record<Day, Period[]>
  const rule = v.bankHolidays as Record<string, unknown> | undefined
  const bankHolidays: BankHolidayRule = rule?.kind === 'usual' ? { kind: 'usual' }
    : rule?.kind === 'special' && Array.isArray(rule.periods) ? { kind: 'special', periods: rule.periods.filter(isPeriod) }
      : { kind: 'closed' }
  return { kind: 'weekly', week, bankHolidays }
}

/** Shorthand for tests and seeds: the same periods on each of the given days, closed on the others. */
export function weekly(days: Partial<Record<Day, Period[]>>, bankHolidays: BankHolidayRule = { kind: 'closed' }): OpeningHours {
  return { kind: 'weekly', week: Object.fromEntries(DAYS.map((day) => [day, days[day] ?? []])) as Record<Day, Period[]>, bankHolidays }
}

export const WEEKDAYS: Day[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']

// ---------------------------------------------------------------------------------------------------
// Open now, next opens

/** The periods that start on a date, with the bank-holiday rule applied. */
export function periodsStarting(hours: Extract<OpeningHours, { kind: 'weekly' }>, date: string, isBankHoliday: IsBankHoliday): Period[] {
  const usual = hours.week[DAYS[weekdayOf(date)]!]
  if (!isBankHoliday(date)) return usual
  if (hours.bankHolidays.kind === 'usual') return usual
  if (hours.bankHolidays.kind === 'special') return hours.bankHolidays.periods
  return []
}

/** The instants a period starting on a date opens and closes. */
export function periodInstants(date: string, period: Period): [number, number] {
  const { opens, closes } = minutesOf(period)
  const start = londonInstant(date, opens)
  const end = closes > opens ? londonInstant(date, closes) : londonInstant(addDays(date, 1), closes)
  return [start, end]
}

const LOOK_AHEAD_DAYS = 400
const OPEN_RUN_DAYS = 14

/**
 * Whether a service is open at an instant and, if it is, when it closes; if not, when it next opens.
 * Periods are laid out day by day from the day before (a night that started yesterday may still be
 * running) in UK local time, so a night across a clock change is an hour shorter or longer.
 */
export function openState(hours: OpeningHours, at: Date | number, isBankHoliday: IsBankHoliday = isEnglandBankHoliday): OpenState {
  if (hours.kind === 'always') return { status: 'always' }
  if (hours.kind === 'none') return { status: 'no-hours' }
  const now = typeof at === 'number' ? at : at.getTime()
  const today = londonWallClock(now).date
  const intervals: Array<[number, number]> = []
  for (let offset = -1; offset <= LOOK_AHEAD_DAYS; offset++) {
    const date = addDays(today, offset)
    for (const period of periodsStarting(hours, date, isBankHoliday)) {
      const [start, end] = periodInstants(date, period)
      if (end > start) intervals.push([start, end])
    }
    if (offset < 0) continue
    const nextDayStarts = londonInstant(addDays(date, 1), 0)
    const running = intervals.filter(([start, end]) => start <= now && now < end)
    if (running.length > 0) {
      let closes = Math.max(...running.map(([, end]) => end))
      for (let extended = true; extended;) {
        extended = false
        for (const [start, end] of intervals) {
          if (start <= closes && end > closes) { closes = end; extended = true }
        }
      }
      if (closes < nextDayStarts) return { status: 'open', closes }
      if (offset >= OPEN_RUN_DAYS) return { status: 'open', closes: undefined }
      continue
    }
    const upcoming = intervals.filter(([start]) => start > now).map(([start]) => start)
    if (upcoming.length > 0) return { status: 'closed', opens: Math.min(...upcoming) }
  }
  return { status: 'closed', opens: undefined }
}

/** "today", "tomorrow", "on Monday", or "on Monday 28 December", from one instant's point of view. */
export function relativeDay(instant: number, now: number): string {
  const then = londonWallClock(instant).date
  const today = londonWallClock(now).date
  if (then === today) return 'today'
  if (then === addDays(today, 1)) return 'tomorrow'
  const weekday = DAY_NAMES[DAYS[weekdayOf(then)]!]
  for (let i = 2; i <= 6; i++) if (then === addDays(today, i)) return `on ${weekday}`
  const [year, month, day] = then.split('-').map(Number) as [number, number, number]
  const monthName = new Date(Date.UTC(year, month - 1, day)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })
  return `on ${weekday} ${day} ${monthName}${then.slice(0, 4) === today.slice(0, 4) ? '' : ` ${year}`}`
}

/** A time of an instant in UK local time, as GOV.UK writes it. */
export function spokenInstant(instant: number): string {
  return spokenTime(londonWallClock(instant).minutes)
}

/** The state in words: "Open now until 5:15pm", "Closed now. Opens tomorrow at 9:15am". */
export function describeState(state: OpenState, now: Date | number): string {
  const t = typeof now === 'number' ? now : now.getTime()
  switch (state.status) {
    case 'always': return 'Open now: 24 hours a day, every day'
    case 'no-hours': return 'No set opening hours'
    case 'open': {
      if (state.closes === undefined) return 'Open now'
      const day = relativeDay(state.closes, t)
      return `Open now until ${spokenInstant(state.closes)}${day === 'today' ? '' : ` ${day}`}`
    }
    case 'closed': {
      if (state.opens === undefined) return 'Closed now'
      const day = relativeDay(state.opens, t)
      return `Closed now. Opens ${day} at ${spokenInstant(state.opens)}`
    }
  }
}

/** The week as rows for a summary list: days with the same hours side by side, then bank holidays. */
export function describeWeek(hours: OpeningHours): Array<{ days: string, hours: string }> {
  if (hours.kind === 'always') return [{ days: 'Every day', hours: '24 hours a day, including bank holidays' }]
  if (hours.kind === 'none') return []
  const rows: Array<{ days: string, hours: string }> = []
  let i = 0
  while (i < DAYS.length) {
    const text = describePeriods(hours.week[DAYS[i]!])
    let j = i
    while (j + 1 < DAYS.length && describePeriods(hours.week[DAYS[j + 1]!]) === text) j++
    const first = DAY_NAMES[DAYS[i]!]
    const last = DAY_NAMES[DAYS[j]!]
    rows.push({ days: i === 0 && j === 6 ? 'Every day' : i === j ? first : j === i + 1 ? `${first} and ${last}` : `${first} to ${last}`, hours: text })
    i = j + 1
  }
  const rule = hours.bankHolidays
  rows.push({
    days: 'Bank holidays',
    hours: rule.kind === 'closed' ? 'Closed' : rule.kind === 'usual' ? 'Usual hours for the day of the week' : describePeriods(rule.periods)
  })
  return rows
}
