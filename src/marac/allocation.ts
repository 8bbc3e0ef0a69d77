// The MARAC queue (pure): each area's meetings, referrals allocated to the next meeting with room, and
// the waiting time from referral to hearing that tells whether the queue is under control.
//
// Meeting dates:
// - fortnightly: every 14 days from the area's first meeting;
// - monthly: the same weekday in the same week of each month as the first meeting (the 2nd Tuesday,
//   say); a first meeting in the 5th week means the last such weekday of each month;
// - a meeting that falls on a bank holiday is held on the next working day.
// Allocation: a coordinator's moves first (honoured even into a full meeting, which then shows as over
// capacity); then high-priority referrals, then the rest, oldest referral first within each; referrals
// made on the same day keep the order they are given in (pass the queue in the order received). Each goes
// to the first meeting at least `noticeDays` after its referral that has room; a full meeting pushes it to
// the next; with no meeting left it stays unallocated.
import { addDays, isoDate, weekdayOf } from '../platform/time/london-time.ts'
import { daysBetween, londonDate } from './dates.ts'
import type { IsoDate } from './dates.ts'
import { nextWorkingDay } from './working-days.ts'
import type { FieldError } from '../platform/validation.ts'

export type MeetingRhythm = 'fortnightly' | 'monthly'

export const MEETING_RHYTHMS: readonly MeetingRhythm[] = ['fortnightly', 'monthly']

export const DEFAULT_MEETING_CAPACITY = 16

export interface AreaSchedule {
  code: string
  rhythm: MeetingRhythm
  /** the first meeting, which sets the weekday (and, monthly, the week of the month) */
  firstMeeting: IsoDate
  /** cases per meeting; 16 if not set */
  capacity?: number
}

export interface Meeting {
  date: IsoDate
  capacity: number
  /** cases already on its agenda before this allocation */
  booked?: number
}

export class ScheduleError extends Error {}

function checkSchedule(area: AreaSchedule): void {
  const problems: string[] = []
  if (!MEETING_RHYTHMS.includes(area.rhythm)) problems.push(`rhythm: must be fortnightly or monthly, not "${String(area.rhythm)}"`)
  try {
    londonDate(area.firstMeeting, 'firstMeeting')
    if (weekdayOf(area.firstMeeting) >= 5) problems.push(`firstMeeting: ${area.firstMeeting} is at a weekend: meetings are on working days`)
  } catch (error) {
    problems.push((error as Error).message)
  }
  const capacity = area.capacity ?? DEFAULT_MEETING_CAPACITY
  if (!Number.isInteger(capacity) || capacity < 1) problems.push(`capacity: must be a whole number of cases, 1 or more, not ${capacity}`)
  if (problems.length > 0) throw new ScheduleError(`Area ${area.code}: ${problems.join('; ')}`)
}

/** The date in a month of the n-th (1-4) or last (5) weekday `weekday` (0 = Monday). */
function weekdayInMonth(year: number, month: number, weekday: number, n: number): IsoDate {
  const first = isoDate(year, month, 1)
  let date = addDays(first, (weekday - weekdayOf(first) + 7) % 7 + 7 * (Math.min(n, 5) - 1))
  while (Number(date.slice(5, 7)) !== month) date = addDays(date, -7) // no 5th one this month: the last
  return date
}

function* fortnightlyDates(area: AreaSchedule, from: IsoDate): Generator<IsoDate> {
  // skip ahead to a fortnight or so before `from` (a bank-holiday move is at most a few days)
  for (let k = Math.max(0, Math.floor(daysBetween(area.firstMeeting, from) / 14) - 1); ; k++) yield addDays(area.firstMeeting, 14 * k)
}

function* monthlyDates(area: AreaSchedule, from: IsoDate): Generator<IsoDate> {
  const weekday = weekdayOf(area.firstMeeting)
  const week = Math.ceil(Number(area.firstMeeting.slice(8, 10)) / 7)
  // months counted from year 0: start at the first meeting's month, or the month before `from`
  let month = Math.max(Number(area.firstMeeting.slice(0, 4)) * 12 + Number(area.firstMeeting.slice(5, 7)) - 1,
    Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 2)
  for (; ; month++) yield weekdayInMonth(Math.floor(month / 12), month % 12 + 1, weekday, week)
}

/** The dates of an area's next `count` meetings on or after `from` (none before its first meeting). */
export function meetingDates(area: AreaSchedule, from: IsoDate | Date, count: number): IsoDate[] {
  checkSchedule(area)
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count: must be a whole number, 0 or more, not ${count}`)
  const start = londonDate(from, 'from')
  const dates: IsoDate[] = []
  for (const nominal of area.rhythm === 'fortnightly' ? fortnightlyDates(area, start) : monthlyDates(area, start)) {
    if (dates.length >= count) break
    if (nominal < area.firstMeeting) continue
    const held = nextWorkingDay(nominal)
    if (held >= start) dates.push(held)
  }
  return dates
}

/** An area's next `count` meetings on or after `from`, each with the area's capacity. */
export function upcomingMeetings(area: AreaSchedule, from: IsoDate | Date, count: number): Meeting[] {
  return meetingDates(area, from, count).map((date) => ({ date, capacity: area.capacity ?? DEFAULT_MEETING_CAPACITY }))
}

export interface WaitingReferral {
  id: string
  referredOn: IsoDate
  highPriority?: boolean
}

export interface CoordinatorMove {
  referralId: string
  meeting: IsoDate
  reason: string
}

export interface AllocationOptions {
  /** a referral can go to a meeting at least this many calendar days after it (default 1: never the same day) */
  noticeDays?: number
}

export interface Placement {
  referralId: string
  meeting: IsoDate
  /** referral to hearing, in calendar days */
  waitingDays: number
  /** present when the coordinator put it there */
  moveReason?: string
}

export interface MeetingLoad {
  date: IsoDate
  capacity: number
  booked: number
  /** referral ids allocated now, in the order allocated */
  allocated: string[]
  spare: number
  overCapacity: boolean
}

export type AllocationOutcome =
  | { ok: true, placements: Placement[], unallocated: string[], meetings: MeetingLoad[] }
  | { ok: false, errors: FieldError[] }

const wholeAtLeast = (value: number, min: number) => Number.isInteger(value) && value >= min

/** Allocates a queue of waiting referrals to meetings (see the rules at the top of this file). */
export function allocate(queue: readonly WaitingReferral[], meetings: readonly Meeting[], moves: readonly CoordinatorMove[] = [], options: AllocationOptions = {}): AllocationOutcome {
  const errors: FieldError[] = []
  const noticeDays = options.noticeDays ?? 1
  if (!wholeAtLeast(noticeDays, 0)) errors.push({ field: 'noticeDays', message: `must be a whole number of days, 0 or more, not ${noticeDays}` })

  const loads: MeetingLoad[] = []
  meetings.forEach((meeting, i) => {
    const booked = meeting.booked ?? 0
    if (!isRealDate(meeting.date)) errors.push({ field: `meetings[${i}].date`, message: `"${meeting.date}" is not a real date written YYYY-MM-DD` })
    else if (loads.some((load) => load.date === meeting.date)) errors.push({ field: `meetings[${i}].date`, message: `${meeting.date} is listed twice` })
    if (!wholeAtLeast(meeting.capacity, 1)) errors.push({ field: `meetings[${i}].capacity`, message: `must be a whole number of cases, 1 or more, not ${meeting.capacity}` })
    if (!wholeAtLeast(booked, 0)) errors.push({ field: `meetings[${i}].booked`, message: `must be a whole number, 0 or more, not ${booked}` })
    loads.push({ date: meeting.date, capacity: meeting.capacity, booked, allocated: [], spare: 0, overCapacity: false })
  })
  loads.sort((a, b) => a.date.localeCompare(b.date))

  const byId = new Map<string, WaitingReferral>()
  queue.forEach((referral, i) => {
    if (byId.has(referral.id)) errors.push({ field: `queue[${i}].id`, message: `${referral.id} is in the queue twice` })
    if (!isRealDate(referral.referredOn)) errors.push({ field: `queue[${i}].referredOn`, message: `"${referral.referredOn}" is not a real date written YYYY-MM-DD` })
    byId.set(referral.id, referral)
  })

  const moved = new Map<string, CoordinatorMove>()
  moves.forEach((move, i) => {
    const referral = byId.get(move.referralId)
    if (!referral) errors.push({ field: `moves[${i}].referralId`, message: `${move.referralId} is not waiting in this queue` })
    else if (moved.has(move.referralId)) errors.push({ field: `moves[${i}].referralId`, message: `${move.referralId} is moved twice` })
    if (!loads.some((load) => load.date === move.meeting)) errors.push({ field: `moves[${i}].meeting`, message: `there is no meeting on ${move.meeting}` })
    else if (referral && isRealDate(referral.referredOn) && move.meeting < referral.referredOn) errors.push({ field: `moves[${i}].meeting`, message: `${move.meeting} is before the referral (${referral.referredOn})` })
    if ((move.reason ?? '').trim() === '') errors.push({ field: `moves[${i}].reason`, message: 'is required: say why the case is moved' })
    if (referral && !moved.has(move.referralId)) moved.set(move.referralId, move)
  })
  if (errors.length > 0) return { ok: false, errors }

  const placements: Placement[] = []
  const place = (referral: WaitingReferral, load: MeetingLoad, moveReason?: string) => {
    load.allocated.push(referral.id)
    placements.push({ referralId: referral.id, meeting: load.date, waitingDays: daysBetween(referral.referredOn, load.date), ...(moveReason ? { moveReason: moveReason.trim() } : {}) })
  }
  for (const move of moved.values()) place(byId.get(move.referralId)!, loads.find((load) => load.date === move.meeting)!, move.reason)

  const waiting = queue.filter((referral) => !moved.has(referral.id))
    .map((referral, order) => ({ referral, order }))
    .sort((a, b) => Number(b.referral.highPriority ?? false) - Number(a.referral.highPriority ?? false)
      || a.referral.referredOn.localeCompare(b.referral.referredOn)
      || a.order - b.order)
  const unallocated: string[] = []
  for (const { referral } of waiting) {
    const earliest = addDays(referral.referredOn, noticeDays)
    const load = loads.find((candidate) => candidate.date >= earliest && candidate.booked + candidate.allocated.length < candidate.capacity)
    if (load) place(referral, load)
    else unallocated.push(referral.id)
  }
  for (const load of loads) {
    const used = load.booked + load.allocated.length
    load.spare = Math.max(0, load.capacity - used)
    load.overCapacity = used > load.capacity
  }
  return { ok: true, placements, unallocated, meetings: loads }
}

function isRealDate(date: IsoDate): boolean {
  try {
    londonDate(date)
    return true
  } catch {
    return false
  }
}

export interface QueueAlert {
  alert: boolean
  /** the meetings considered: the next `meetings` of them */
  meetings: IsoDate[]
  /** waiting cases those meetings cannot take: unallocated, or allocated only to a later meeting (the coordinator's moves aside) */
  unabsorbed: string[]
  message: string
}

/** Whether the next `count` meetings can absorb the queue, from an allocation over the area's upcoming meetings. */
export function queueAlert(outcome: Extract<AllocationOutcome, { ok: true }>, count: number): QueueAlert {
  if (!wholeAtLeast(count, 1)) throw new RangeError(`count: must be a whole number of meetings, 1 or more, not ${count}`)
  const considered = outcome.meetings.slice(0, count).map((load) => load.date)
  const last = considered.at(-1)
  const later = outcome.placements.filter((placement) => !placement.moveReason && (last === undefined || placement.meeting > last)).map((placement) => placement.referralId)
  const unabsorbed = [...later, ...outcome.unallocated]
  const alert = unabsorbed.length > 0
  return {
    alert,
    meetings: considered,
    unabsorbed,
    message: alert
      ? `The next ${considered.length} meeting${considered.length === 1 ? '' : 's'} cannot take ${unabsorbed.length} waiting case${unabsorbed.length === 1 ? '' : 's'}`
      : `The next ${considered.length} meeting${considered.length === 1 ? '' : 's'} can take every waiting case`
  }
}

export interface CaseWait {
  id: string
  referredOn: IsoDate
  /** the hearing date, if it has one (heard or allocated) */
  hearingOn?: IsoDate
}

export interface OverTarget {
  id: string
  /** referral to hearing; or, with no hearing yet, referral to today (and still growing) */
  waitingDays: number
  stillWaiting: boolean
}

/** Referral to hearing, in calendar days. */
export function waitingDays(referredOn: IsoDate | Date, hearingOn: IsoDate | Date): number {
  return daysBetween(londonDate(referredOn, 'referredOn'), londonDate(hearingOn, 'hearingOn'))
}

/** Cases whose wait is over the partnership's target (longest first). */
export function overTargetWait(cases: readonly CaseWait[], today: IsoDate | Date, targetDays: number): OverTarget[] {
  if (!wholeAtLeast(targetDays, 0)) throw new RangeError(`targetDays: must be a whole number of days, 0 or more, not ${targetDays}`)
  const day = londonDate(today, 'today')
  return cases
    .map((entry) => ({ id: entry.id, waitingDays: waitingDays(entry.referredOn, entry.hearingOn ?? day), stillWaiting: entry.hearingOn === undefined }))
    .filter((entry) => entry.waitingDays > targetDays)
    .sort((a, b) => b.waitingDays - a.waitingDays)
}
