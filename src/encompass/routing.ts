// Where each child in a police-reported domestic abuse incident goes (pure rules):
// - reception to 17: education. Found on a roll automatically: their setting. Not sure: the council's
//   review queue. Not on any roll, or home educated: the council's home-education / children missing
//   education officer (on the home education register and on a roll now: review).
// - under school age: the early-years route if the partnership has switched it on; otherwise no
//   notification, with the reason.
// - 18 and over: excluded, with the reason.
import { ageOn } from '../platform/time/dates.ts'
import type { Band } from '../linkage/match.ts'

export type Route = 'setting' | 'review' | 'local-authority' | 'excluded'

export interface RoutingPolicy {
  /** send children under school age to the council's early-years team */
  earlyYears: boolean
}

export const DEFAULT_ROUTING_POLICY: RoutingPolicy = { earlyYears: false }

export type AgeGroup = 'under-school-age' | 'school-age' | 'adult'

/**
 * A child is in reception or above from the September after their fourth birthday: in the academic
 * year starting 1 September Y, that is everyone born on or before 31 August of Y - 4.
 */
export function ageGroup(dateOfBirth: string, on: string): AgeGroup {
  if (ageOn(dateOfBirth, on) >= 18) return 'adult'
  const [y, m] = on.split('-').map(Number) as [number, number]
  const academicYear = m >= 9 ? y : y - 1
  return dateOfBirth <= `${academicYear - 4}-08-31` ? 'school-age' : 'under-school-age'
}

export interface RoutingInput {
  dateOfBirth: string
  /** the incident's date, YYYY-MM-DD (UK) */
  incidentDate: string
  band: Band
  /** the setting of the pupil the linkage found (after following a predecessor URN to its successor) */
  matchedUrn: string | undefined
  /** the officer's note of the child's school, if any */
  officerUrn: string | undefined
  /** on the council's elective home education register */
  homeEducated: boolean
  /** the pupil the linkage found is on their setting's roll now (has not left it) */
  onRollNow: boolean
}

export interface RoutingDecision { route: Route, urn?: string, reason?: string }

export function routeChild(input: RoutingInput, policy: RoutingPolicy = DEFAULT_ROUTING_POLICY): RoutingDecision {
  const group = ageGroup(input.dateOfBirth, input.incidentDate)
  if (group === 'adult') {
    return { route: 'excluded', reason: 'Aged 18 or over on the day of the incident, so not a child for Operation Encompass' }
  }
  if (group === 'under-school-age') {
    return policy.earlyYears
      ? { route: 'local-authority', reason: 'Under school age: sent to the council\'s early years team' }
      : { route: 'excluded', reason: 'Under school age, and the partnership has not switched on the early years route' }
  }
  if (input.homeEducated) {
    // the register and a roll disagree (one of them is out of date): never a guess at the school
    if (input.band === 'auto' && input.matchedUrn && input.onRollNow) {
      return { route: 'review', reason: `On the council's home education register, and on the roll of URN ${input.matchedUrn}: the council's Encompass team will check which is right` }
    }
    return { route: 'local-authority', reason: 'Home educated: sent to the council\'s home education officer' }
  }
  if (input.band === 'auto' && input.matchedUrn) {
    if (input.officerUrn && input.officerUrn !== input.matchedUrn) {
      return { route: 'review', reason: `The officer noted the school as URN ${input.officerUrn}, but the roll has the child at URN ${input.matchedUrn}: the council's Encompass team will check` }
    }
    return { route: 'setting', urn: input.matchedUrn }
  }
  if (input.band === 'review') {
    return { route: 'review', reason: 'Harbour was not sure which pupil this is: the council\'s Encompass team will decide before the deadline' }
  }
  return { route: 'local-authority', reason: 'Not found on any school roll: sent to the council\'s children missing education officer' }
}
