// The council's Operation Encompass view, as pure rules: whether a notification reached its setting in
// time, whether a child waiting for review is at risk of missing the deadline, how far the partnership
// is towards every setting signed up, and what "today" is in UK local time. No clock is read: the
// caller passes "now".
import { addDays, londonInstant, londonWallClock } from '../platform/time/london-time.ts'

/**
 * - on-time: opened (or acknowledged) at or before the deadline
 * - pending: not opened yet, and the deadline is still ahead
 * - opened-late: opened, but only after the deadline
 * - late: the deadline has passed and nobody has opened it
 */
export type DeadlineStatus = 'on-time' | 'pending' | 'opened-late' | 'late'

export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, string> = {
  'on-time': 'On time',
  'pending': 'Not yet due',
  'opened-late': 'Opened late',
  'late': 'Late: not opened'
}

/** GOV.UK tag colours: the words carry the meaning, the colour only repeats it. */
export const DEADLINE_STATUS_TAGS: Record<DeadlineStatus, string> = {
  'on-time': 'govuk-tag--green',
  'pending': 'govuk-tag--blue',
  'opened-late': 'govuk-tag--orange',
  'late': 'govuk-tag--red'
}

export interface NotificationTimes {
  deadline: Date
  firstOpenedAt: Date | null
  acknowledgedAt: Date | null
}

/** When the setting first saw it: the earlier of opening and acknowledging (a school system may acknowledge without opening the page). */
export function firstSeen(times: NotificationTimes): Date | null {
  const seen = [times.firstOpenedAt, times.acknowledgedAt].filter((t): t is Date => t !== null)
  if (seen.length === 0) return null
  return new Date(Math.min(...seen.map((t) => t.getTime())))
}

export function deadlineStatus(times: NotificationTimes, now: Date): DeadlineStatus {
  const seen = firstSeen(times)
  if (seen) return seen.getTime() <= times.deadline.getTime() ? 'on-time' : 'opened-late'
  return now.getTime() < times.deadline.getTime() ? 'pending' : 'late'
}

/** A child waiting for review is at risk when its deadline is within the window, or has passed. A child with no deadline is not. */
export function reviewAtRisk(deadline: Date | null, now: Date, windowMinutes: number): boolean {
  if (!deadline) return false
  return deadline.getTime() - now.getTime() <= windowMinutes * 60_000
}

/**
 * The share of settings ready to receive notifications (signed up, with a Designated Safeguarding Lead),
 * as a percentage to one decimal place, rounded down: 100% only when every setting is ready. No
 * settings at all: undefined (nothing to be a share of).
 */
export function percentReady(ready: number, total: number): number | undefined {
  if (total <= 0) return undefined
  return Math.floor((ready / total) * 1000) / 10
}

/** A length of time in words: "45 minutes", "2 hours 5 minutes", "3 days 4 hours". */
export function describeDuration(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes))
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (whole < 60) return plural(whole, 'minute')
  const days = Math.floor(whole / 1440)
  const hours = Math.floor((whole % 1440) / 60)
  const rest = whole % 60
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day')
  return rest > 0 ? `${plural(hours, 'hour')} ${plural(rest, 'minute')}` : plural(hours, 'hour')
}

export const ESCALATION_LABELS = ['Not escalated', 'Deputies told', 'Council told'] as const

export function escalationLabel(level: number): string {
  return ESCALATION_LABELS[level] ?? `Level ${level}`
}

/** Today in London: from local midnight to the next (23 or 25 hours on the days the clocks change). */
export function londonDay(now: Date): { date: string, start: Date, end: Date } {
  const date = londonWallClock(now).date
  return { date, start: new Date(londonInstant(date, 0)), end: new Date(londonInstant(addDays(date, 1), 0)) }
}

/** "2026-01-15 08:45": an instant as UK local time, for a spreadsheet. */
export function londonStamp(instant: Date | null | undefined): string {
  if (!instant) return ''
  const clock = londonWallClock(instant)
  const hh = String(Math.floor(clock.minutes / 60)).padStart(2, '0')
  const mm = String(clock.minutes % 60).padStart(2, '0')
  return `${clock.date} ${hh}:${mm}`
}
