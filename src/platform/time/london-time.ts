// UK local time (Europe/London) as plain arithmetic on instants: what the wall clock says at an instant,
// and which instant a wall-clock time on a date is, across both clock changes. Pure: no clock is read.

const ZONE = 'Europe/London'
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
})

export interface LondonWallClock {
  /** the local date, YYYY-MM-DD */
  date: string
  /** 0 = Monday ... 6 = Sunday */
  weekday: number
  /** minutes since local midnight */
  minutes: number
  /** local time minus UTC, in minutes: 0 in winter (GMT), 60 in summer (BST) */
  offset: number
}

function partsOf(instant: number): { year: number, month: number, day: number, hour: number, minute: number, second: number } {
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value)
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! }
}

/** Minutes the London wall clock is ahead of UTC at an instant. */
export function londonOffset(instant: number): number {
  const p = partsOf(Math.floor(instant / 1000) * 1000)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / MINUTE)
}

const pad = (n: number) => String(n).padStart(2, '0')

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`
}

/** What the clock on a wall in London says at an instant. */
export function londonWallClock(instant: Date | number): LondonWallClock {
  const t = typeof instant === 'number' ? instant : instant.getTime()
  const p = partsOf(t)
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7
  return { date: isoDate(p.year, p.month, p.day), weekday, minutes: p.hour * 60 + p.minute, offset: londonOffset(t) }
}

function dateParts(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) throw new Error(`Not a date: ${date}`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

/** The date `days` after (or before) a date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = dateParts(date)
  const next = new Date(Date.UTC(y, m - 1, d + days))
  return isoDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate())
}

/** 0 = Monday ... 6 = Sunday */
export function weekdayOf(date: string): number {
  const [y, m, d] = dateParts(date)
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7
}

/**
 * The instant at which London's wall clock shows `minutes` after midnight on `date` (1440 is the next
 * midnight). A time that happens twice (the hour repeated when the clocks go back in October) is its
 * first occurrence; a time that never happens (the hour skipped when the clocks go forward in March) is
 * read with the offset before the change, so it lands that far after it (01:30 becomes 02:30 BST).
 * This is the "compatible" rule of Temporal and of most calendars.
 */
export function londonInstant(date: string, minutes: number): number {
  const [y, m, d] = dateParts(date)
  const naive = Date.UTC(y, m - 1, d, 0, minutes)
  const before = londonOffset(naive - DAY / 2)
  const after = londonOffset(naive + DAY / 2)
  const valid = [...new Set([before, after])]
    .map((offset) => naive - offset * MINUTE)
    .filter((candidate) => londonOffset(candidate) === Math.round((naive - candidate) / MINUTE))
  if (valid.length > 0) return Math.min(...valid)
  return naive - before * MINUTE
}
