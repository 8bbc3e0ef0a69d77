// The repeat rule and potential escalation (pure). Who is "the same victim and perpetrator" is decided
// by the caller (through the linkage library): here people are ids.
//
// "Within 12 months", defined on calendar dates in Europe/London (instants are first read as their
// London date):
//   a date D is within 12 months of a date R when R <= D <= oneYearOn(R),
//   where oneYearOn(R) is the same calendar date one year later, up to and including that date.
// So the window is 365 days, or 366 when it spans a 29 February: from 2026-03-10 a further incident on
// 2027-03-10 (365 days) is a repeat and on 2027-03-11 (366 days) a new case; from 2027-03-10 the window
// runs to 2028-03-10 (366 days). A 29 February falls on 1 March in a year without one (as ageOn counts
// a leap-day birthday), so from 2028-02-29 the window runs to 2029-03-01. Where it could be read either
// way, the rule errs towards the victim: the anniversary itself is still a repeat.
import { addDays } from '../platform/time/london-time.ts'
import { isIsoDate } from '../platform/time/dates.ts'
import { londonDate } from './dates.ts'
import type { IsoDate } from './dates.ts'

/** The same calendar date a year on; 29 February becomes 1 March in a year without one. */
export function oneYearOn(date: IsoDate): IsoDate {
  const next = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`
  return isIsoDate(next) ? next : addDays(`${next.slice(0, 8)}28`, 1)
}

/** Whether `on` is within 12 months of `from` (see the definition at the top of this file). */
export function withinTwelveMonths(from: IsoDate | Date, on: IsoDate | Date): boolean {
  const start = londonDate(from, 'from')
  const date = londonDate(on, 'on')
  return start <= date && date <= oneYearOn(start)
}

export interface Parties {
  victimId: string
  perpetratorIds: readonly string[]
}

/** The same victim and at least one of the same perpetrators (with no perpetrator known, never the same pair). */
export function samePair(a: Parties, b: Parties): boolean {
  return a.victimId === b.victimId && a.perpetratorIds.some((id) => b.perpetratorIds.includes(id))
}

export interface PreviousReferral extends Parties {
  id: string
  referredOn: IsoDate | Date
}

export interface RepeatDecision {
  repeat: boolean
  /** the last referral of the same pair on or before the date, if any (whether or not within 12 months) */
  previousReferralId?: string
  lastReferredOn?: IsoDate
  /** the last day a further incident counts as a repeat of it */
  repeatWindowEnds?: IsoDate
  reason: string
}

/**
 * Is a further incident or referral, found on `on`, a repeat? It is when the same victim and
 * perpetrator were last referred within the 12 months before it, whatever its score. The last referral
 * is the latest of the same pair dated on or before `on` (later ones are ignored, so a past referral can
 * be re-judged as it stood); the caller leaves out the referral being judged itself.
 */
export function repeatDecision(current: Parties & { on: IsoDate | Date }, previous: readonly PreviousReferral[]): RepeatDecision {
  const on = londonDate(current.on, 'on')
  let last: { id: string, referredOn: IsoDate } | undefined
  previous.forEach((referral, i) => {
    if (!samePair(current, referral)) return
    const referredOn = londonDate(referral.referredOn, `previous[${i}].referredOn`)
    if (referredOn <= on && (!last || referredOn > last.referredOn)) last = { id: referral.id, referredOn }
  })
  if (!last) return { repeat: false, reason: 'No earlier referral of this victim and perpetrator' }
  const repeatWindowEnds = oneYearOn(last.referredOn)
  const repeat = on <= repeatWindowEnds
  return {
    repeat,
    previousReferralId: last.id,
    lastReferredOn: last.referredOn,
    repeatWindowEnds,
    reason: repeat
      ? `A repeat: this victim and perpetrator were last referred on ${last.referredOn}, within 12 months (up to ${repeatWindowEnds})`
      : `A new case: the last referral of this victim and perpetrator, on ${last.referredOn}, was more than 12 months ago (repeats ran to ${repeatWindowEnds})`
  }
}

/** SafeLives' potential escalation: 3 or more police-reported incidents in 12 months (local thresholds vary). */
export const DEFAULT_ESCALATION_THRESHOLD = 3

export interface EscalationCheck {
  /** police incidents within the 12 months up to and including `on` */
  count: number
  threshold: number
  met: boolean
  /** the earliest incident date that still counts */
  countedFrom: IsoDate
}

/** The date whose 12-month window (oneYearOn) still reaches `on`: the first date counted in the 12 months up to `on`. */
function twelveMonthsBefore(on: IsoDate): IsoDate {
  // the earliest R with oneYearOn(R) >= on; oneYearOn is non-decreasing, so step back from a year before
  let candidate = addDays(`${Number(on.slice(0, 4)) - 1}${on.slice(4, 8)}01`, -3)
  while (oneYearOn(candidate) < on) candidate = addDays(candidate, 1)
  return candidate
}

/**
 * Counts police-reported incidents in the 12 months up to and including `on` (each incident counts while
 * `on` is within 12 months of it, by the same definition as the repeat rule; later incidents are
 * ignored) against a threshold, default 3.
 */
export function potentialEscalation(incidents: ReadonlyArray<IsoDate | Date>, on: IsoDate | Date, threshold = DEFAULT_ESCALATION_THRESHOLD): EscalationCheck {
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`threshold: must be a whole number of incidents, 1 or more, not ${threshold}`)
  const date = londonDate(on, 'on')
  const count = incidents.filter((incident, i) => withinTwelveMonths(londonDate(incident, `incidents[${i}]`), date)).length
  return { count, threshold, met: count >= threshold, countedFrom: twelveMonthsBefore(date) }
}
