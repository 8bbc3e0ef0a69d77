// Calendar dates (YYYY-MM-DD text, no time, no zone): checking, today's in the UK, and in words; and an instant in words, in UK time.
import { londonWallClock } from './london-time.ts'

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/

/** A real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Today's date in the UK (Europe/London). */
export function todayInLondon(now: Date = new Date()): string {
  return londonWallClock(now).date
}

/** "3 November 2026" */
export function longDate(date: string | null | undefined): string {
  if (!date) return ''
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

/** Whole years of age on a date (both YYYY-MM-DD; a birthday on 29 February falls on 1 March in other years). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [y, m, d] = on.split('-').map(Number) as [number, number, number]
  let age = y - by
  if (m < bm || (m === bm && d < bd)) age--
  return age
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/** An instant as the UK's wall clock shows it, in GOV.UK style: "8:45am on Monday 23 November 2026". */
export function londonDateTimeText(at: Date | string | null | undefined): string {
  if (!at) return ''
  const wall = londonWallClock(typeof at === 'string' ? new Date(at) : at)
  const [hours, minutes] = [Math.floor(wall.minutes / 60), wall.minutes % 60]
  const time = hours === 0 && minutes === 0 ? 'midnight' : hours === 12 && minutes === 0 ? 'midday'
    : `${hours % 12 || 12}:${String(minutes).padStart(2, '0')}${hours < 12 ? 'am' : 'pm'}`
  return `${time} on ${WEEKDAYS[wall.weekday]} ${longDate(wall.date)}`
}
