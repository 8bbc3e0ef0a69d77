// Finding a child on a roll: score every candidate the index offers, then put the child in a band.
// auto: send to the setting; review: a person decides; none: not on any roll. Hard guards keep twins,
// siblings and close calls out of the auto band, whatever the score.
import { ADDRESS, ADDRESS_SAME, DATE_OF_BIRTH, DOB_EXACT, DOB_ONE_DIGIT, DOB_SWAPPED, FIRST_EXACT, FIRST_MIDDLE, FIRST_NAME, FIRST_NEARLY, FIRST_VARIANT, POSTCODE, POSTCODE_FULL, SURNAME, SURNAME_DIFFERENT, compareRecords } from './comparisons.ts'
import type { PreparedRecord } from './normalise.ts'
import { calibratedProbability, matchWeight } from './model.ts'
import type { LinkageModel, TermFrequencies } from './model.ts'
import type { RollIndex } from './roll-index.ts'

export type Band = 'auto' | 'review' | 'none'

export interface Thresholds {
  /** calibrated probability at or above which a match is sent without review */
  auto: number
  /** at or above which a person reviews it; below, the child is "not on any roll" */
  review: number
  /** the best candidate must lead the next by at least this many bits of evidence to be automatic */
  margin: number
}

/**
 * Chosen on the generated calibration sets (npm run bench reports the figures they give): 0.98 keeps
 * the auto band right at least 999 times in 1,000 while sending more than 90% of children on a roll.
 */
export const DEFAULT_THRESHOLDS: Thresholds = { auto: 0.98, review: 0.2, margin: 6 }

export interface ScoredCandidate {
  recordId: number
  id: string
  weight: number
  probability: number
  vector: Uint8Array
}

export interface MatchResult {
  band: Band
  best: ScoredCandidate | undefined
  /** the strongest candidates, best first (at most five) */
  candidates: ScoredCandidate[]
  /** why a match that scored high enough was still sent to review */
  guards: string[]
}

export type Guard = 'close-second' | 'possible-twin' | 'possible-sibling'

export const GUARD_WORDS: Record<Guard, string> = {
  'close-second': 'another pupil on the roll is almost as likely',
  'possible-twin': 'same home and date of birth (or none given) but a different first name: this may be a twin or a brother or sister',
  'possible-sibling': 'same surname and home but a different date of birth: this may be a brother or sister'
}

function sameHome(vector: Uint8Array): boolean {
  return vector[ADDRESS] === ADDRESS_SAME || (vector[ADDRESS] === 0 && vector[POSTCODE] === POSTCODE_FULL)
}

/** The hard guards, on the best candidate and the one behind it. Pure, so it can be tested at its edges. */
export function guardsFor(best: ScoredCandidate, second: ScoredCandidate | undefined, thresholds: Thresholds): Guard[] {
  const guards: Guard[] = []
  if (second && best.weight - second.weight < thresholds.margin) guards.push('close-second')
  const v = best.vector
  // Any surname that is not plainly different counts (a slip, a gendered form, one half of a double-barrel).
  const surnameAgrees = v[SURNAME] !== 0 && v[SURNAME] !== SURNAME_DIFFERENT
  // The same first name, a known variant, a one- or two-letter slip, or going by a middle name on the
  // roll. A looser likeness is not enough.
  const firstAgrees = v[FIRST_NAME] === FIRST_EXACT || v[FIRST_NAME] === FIRST_VARIANT || v[FIRST_NAME] === FIRST_NEARLY || v[FIRST_NAME] === FIRST_MIDDLE
  const dob = v[DATE_OF_BIRTH]
  // Same home, another first name, and a birthday that is the same (or swapped, or not given): a twin,
  // whatever the surname says.
  if (sameHome(v) && !firstAgrees && (dob === DOB_EXACT || dob === DOB_SWAPPED || dob === 0)) guards.push('possible-twin')
  // A different birthday at the same home is a brother or sister, unless it is one mistyped digit on a
  // child whose first name agrees.
  const oneDigitSlip = dob === DOB_ONE_DIGIT && firstAgrees
  if (surnameAgrees && sameHome(v) && dob !== DOB_EXACT && dob !== DOB_SWAPPED && dob !== 0 && !oneDigitSlip) guards.push('possible-sibling')
  return guards
}

export function bandFor(best: ScoredCandidate | undefined, guards: Guard[], thresholds: Thresholds): Band {
  if (!best || best.probability < thresholds.review) return 'none'
  if (best.probability >= thresholds.auto && guards.length === 0) return 'auto'
  return 'review'
}

export function scoreCandidate(model: LinkageModel, tf: TermFrequencies, child: PreparedRecord, candidate: PreparedRecord, recordId: number): ScoredCandidate {
  const vector = compareRecords(child, candidate)
  const weight = matchWeight(model, vector, tfFor(tf.firstName(candidate.first), vector[FIRST_NAME]), tfFor(tf.surname(candidate.last), vector[SURNAME]))
  return { recordId, id: candidate.id, weight, probability: calibratedProbability(model, weight), vector }
}

function tfFor(frequency: number | undefined, level: number | undefined): number | undefined {
  return level === 1 ? frequency : undefined
}

export function matchChild(index: RollIndex, model: LinkageModel, child: PreparedRecord, thresholds: Thresholds = DEFAULT_THRESHOLDS): MatchResult {
  const scored: ScoredCandidate[] = []
  for (const recordId of index.candidates(child)) {
    scored.push(scoreCandidate(model, index, child, index.records[recordId] as PreparedRecord, recordId))
  }
  scored.sort((a, b) => b.weight - a.weight)
  const best = scored[0]
  const guards = best ? guardsFor(best, scored[1], thresholds) : []
  // a guarded best candidate is calibrated among its own kind (twins and siblings score high but are often not the child)
  if (best && guards.length > 0) best.probability = calibratedProbability(model, best.weight, true)
  const band = bandFor(best, guards, thresholds)
  return { band, best, candidates: scored.slice(0, 5), guards: guards.map((g) => GUARD_WORDS[g]) }
}
