// Working days in England (Monday to Friday, not a bank holiday) and the MARAC timescales built on them.
// "Within N working days of X" means by the end of the Nth working day after the day of X: the day of X
// is day 0 whatever the time and whether or not it is a working day, so a referral on a Saturday or at
// 23:00 on a Friday is due on Tuesday for 2 working days. Done at any time on the due date is on time.
// Instants are read as their date in London.
import { addDays, weekdayOf } from '../platform/time/london-time.ts'
import { isEnglandBankHoliday } from '../platform/time/bank-holidays.ts'
import { londonDate } from './dates.ts'
import type { IsoDate } from './dates.ts'

/** The IDVA contacts the victim within 2 working days of the referral. */
export const IDVA_CONTACT_WORKING_DAYS = 2
/** Minutes go out within 3 working days of the meeting. */
export const MINUTES_WORKING_DAYS = 3

export function isWorkingDay(date: IsoDate): boolean {
  return weekdayOf(date) < 5 && !isEnglandBankHoliday(date)
}

/** The `days`-th working day after a date (the date itself is never counted); 0 is the date itself. */
export function addWorkingDays(from: IsoDate | Date, days: number): IsoDate {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days: must be a whole number, 0 or more, not ${days}`)
  let date = londonDate(from, 'from')
  for (let counted = 0; counted < days;) {
    date = addDays(date, 1)
    if (isWorkingDay(date)) counted++
  }
  return date
}

/** The first working day on or after a date. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let day = londonDate(date)
  while (!isWorkingDay(day)) day = addDays(day, 1)
  return day
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate | Date, to: IsoDate | Date): number {
  const end = londonDate(to, 'to')
  let count = 0
  for (let date = addDays(londonDate(from, 'from'), 1); date <= end; date = addDays(date, 1)) if (isWorkingDay(date)) count++
  return count
}

/** When the IDVA's first contact with the victim is due: the 2nd working day after the referral. */
export function idvaContactDue(referredAt: IsoDate | Date): IsoDate {
  return addWorkingDays(referredAt, IDVA_CONTACT_WORKING_DAYS)
}

/** When the minutes of a meeting are due: the 3rd working day after it. */
export function minutesDue(meetingOn: IsoDate | Date): IsoDate {
  return addWorkingDays(meetingOn, MINUTES_WORKING_DAYS)
}

export type Timeliness = 'done on time' | 'done late' | 'due' | 'overdue'

export interface TimelinessCheck {
  status: Timeliness
  late: boolean
  due: IsoDate
  /** working days past the due date (when done, at the date it was done; otherwise today) */
  workingDaysLate: number
}

/**
 * Is something late? Done on or before its due date: on time. Done after: late. Not done: still due up to
 * and including the due date, overdue from the day after.
 */
export function timeliness(due: IsoDate, doneAt: IsoDate | Date | undefined, today: IsoDate | Date): TimelinessCheck {
  const dueDate = londonDate(due, 'due')
  const done = doneAt === undefined ? undefined : londonDate(doneAt, 'doneAt')
  const reference = done ?? londonDate(today, 'today')
  const late = reference > dueDate
  const status: Timeliness = done ? (late ? 'done late' : 'done on time') : (late ? 'overdue' : 'due')
  return { status, late, due: dueDate, workingDaysLate: late ? workingDaysBetween(dueDate, reference) : 0 }
}
