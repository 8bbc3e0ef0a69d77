// Fellegi-Sunter scoring: each field's level adds log2(m/u) bits of evidence to a prior; exact name
// matches use the name's own frequency as u (term-frequency adjustment: "Muhammad Khan" agreeing is
// weaker evidence than "Eilidh Featherstonehaugh" agreeing). Then a calibration maps the weight to a
// probability that means what it says.
import { FIELDS, FIELD_COUNT, FIRST_NAME, SURNAME } from './comparisons.ts'

export interface FieldParameters {
  /** P(level | same person), index = level (0, missing, unused) */
  m: number[]
  /** P(level | different people) */
  u: number[]
}

export interface Calibration {
  /** increasing match weights, and the calibrated probability at each */
  weights: number[]
  probabilities: number[]
}

export interface LinkageModel {
  /** prior probability that a record and a given candidate are the same person */
  lambda: number
  fields: FieldParameters[]
  /** for a best candidate that no guard stopped */
  calibration: Calibration | null
  /** for a best candidate that a guard stopped (a possible twin or sibling, a close second): a different population */
  guardedCalibration?: Calibration | null
}

export interface TermFrequencies {
  firstName(name: string): number | undefined
  surname(name: string): number | undefined
}

const FLOOR = 1e-6

export const log2 = (x: number): number => Math.log(x) / Math.LN2

export function priorWeight(model: LinkageModel): number {
  return log2(model.lambda / (1 - model.lambda))
}

/** The bits of evidence one field's level gives; term frequency replaces u for exact name matches. */
export function fieldWeight(model: LinkageModel, field: number, level: number, termFrequency?: number): number {
  if (level === 0) return 0
  const parameters = model.fields[field]
  if (!parameters) return 0
  const m = Math.max(parameters.m[level] ?? FLOOR, FLOOR)
  let u = Math.max(parameters.u[level] ?? FLOOR, FLOOR)
  if (level === 1 && termFrequency !== undefined && (field === FIRST_NAME || field === SURNAME)) u = Math.max(termFrequency, FLOOR)
  return log2(m / u)
}

export function matchWeight(model: LinkageModel, vector: Uint8Array, firstNameTf?: number, surnameTf?: number): number {
  let weight = priorWeight(model)
  for (let field = 0; field < FIELD_COUNT; field++) {
    const level = vector[field] ?? 0
    weight += fieldWeight(model, field, level, field === FIRST_NAME ? firstNameTf : field === SURNAME ? surnameTf : undefined)
  }
  return weight
}

export function rawProbability(weight: number): number {
  const odds = 2 ** weight
  return Number.isFinite(odds) ? odds / (1 + odds) : 1
}

/** The calibrated probability for a weight: piecewise linear between the calibration's points. */
export function calibratedProbability(model: LinkageModel, weight: number, guarded = false): number {
  const calibration = guarded && model.guardedCalibration ? model.guardedCalibration : model.calibration
  if (!calibration || calibration.weights.length === 0) return rawProbability(weight)
  const { weights, probabilities } = calibration
  if (weight <= (weights[0] ?? 0)) return probabilities[0] ?? 0
  const last = weights.length - 1
  if (weight >= (weights[last] ?? 0)) return probabilities[last] ?? 1
  let lo = 0
  let hi = last
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if ((weights[mid] ?? 0) <= weight) lo = mid
    else hi = mid
  }
  const w0 = weights[lo] ?? 0
  const w1 = weights[hi] ?? 0
  const p0 = probabilities[lo] ?? 0
  const p1 = probabilities[hi] ?? 0
  return w1 === w0 ? p1 : p0 + ((weight - w0) / (w1 - w0)) * (p1 - p0)
}

export interface FieldEvidence {
  field: string
  level: number
  meaning: string
  /** bits of evidence: positive for the same child, negative against */
  weight: number
  /** the same, in words */
  says: string
}

function strength(weight: number): string {
  const size = Math.abs(weight)
  const direction = weight >= 0 ? 'for' : 'against'
  if (size < 0.5) return 'makes little difference'
  if (size < 3) return `weak evidence ${direction}`
  if (size < 7) return `good evidence ${direction}`
  return `strong evidence ${direction}`
}

/** Each field's level and weight, in words a caseworker understands. */
export function explain(model: LinkageModel, vector: Uint8Array, firstNameTf?: number, surnameTf?: number): FieldEvidence[] {
  return FIELDS.map((definition, field) => {
    const level = vector[field] ?? 0
    const weight = fieldWeight(model, field, level, field === FIRST_NAME ? firstNameTf : field === SURNAME ? surnameTf : undefined)
    const meaning = definition.levels[level] ?? 'unknown'
    const common = level === 1 && (field === FIRST_NAME || field === SURNAME) && (field === FIRST_NAME ? firstNameTf : surnameTf) !== undefined && ((field === FIRST_NAME ? firstNameTf : surnameTf) ?? 0) > 0.005
    return {
      field: definition.name,
      level,
      meaning,
      weight: Math.round(weight * 10) / 10,
      says: level === 0 ? 'not known on one side, so it counts neither way' : `${meaning}${common ? ' (a common name, so it counts for less)' : ''}: ${strength(weight)}`
    }
  })
}
