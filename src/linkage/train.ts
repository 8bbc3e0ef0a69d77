// Training the Splink way: u from random pairs, lambda from a strict deterministic rule and a recall
// guess, m by expectation-maximisation on the blocked candidate pairs (u held fixed). Then
// calibration on labelled pairs, so that a probability of 0.95 is right 95 times in 100.
import { FIELDS, FIELD_COUNT, compareRecords, DATE_OF_BIRTH, FIRST_NAME, SURNAME } from './comparisons.ts'
import type { PreparedRecord } from './normalise.ts'
import type { Calibration, FieldParameters, LinkageModel } from './model.ts'
import { matchWeight } from './model.ts'
import type { RollIndex } from './roll-index.ts'

/** A small seeded random number generator (mulberry32), so training is repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function emptyCounts(): number[][] {
  return FIELDS.map((field) => new Array<number>(field.levels.length).fill(0))
}

function normaliseCounts(counts: number[][], smoothing: number): number[][] {
  return counts.map((levels) => {
    const total = levels.slice(1).reduce((sum, n) => sum + n, 0) + smoothing * (levels.length - 1)
    return levels.map((n, level) => (level === 0 ? 0 : (n + smoothing) / total))
  })
}

/** u: how often each level happens between two different people, from random pairs of the roll. */
export function estimateU(roll: PreparedRecord[], pairs: number, seed: number): number[][] {
  const random = seededRandom(seed)
  const counts = emptyCounts()
  const vector = new Uint8Array(FIELD_COUNT)
  for (let i = 0; i < pairs; i++) {
    const a = roll[Math.floor(random() * roll.length)] as PreparedRecord
    const b = roll[Math.floor(random() * roll.length)] as PreparedRecord
    if (a === b) continue
    compareRecords(a, b, vector)
    for (let field = 0; field < FIELD_COUNT; field++) (counts[field] as number[])[vector[field] ?? 0]! += 1
  }
  return normaliseCounts(counts, 0.5)
}

/** The blocked candidate pairs of a list of children against a roll, as comparison vectors. */
export function candidatePairs(index: RollIndex, children: PreparedRecord[]): Array<{ child: number, recordId: number, vector: Uint8Array }> {
  const pairs: Array<{ child: number, recordId: number, vector: Uint8Array }> = []
  children.forEach((child, c) => {
    for (const recordId of index.candidates(child)) pairs.push({ child: c, recordId, vector: compareRecords(child, index.records[recordId] as PreparedRecord) })
  })
  return pairs
}

/**
 * lambda: the chance that a child and one pupil are the same person, estimated from how many pairs
 * agree exactly on first name, surname and date of birth, divided by a guess of that rule's recall.
 */
export function estimateLambda(pairs: Array<{ vector: Uint8Array }>, children: number, rollSize: number, recall = 0.8): number {
  const strict = pairs.filter((p) => p.vector[FIRST_NAME] === 1 && p.vector[SURNAME] === 1 && p.vector[DATE_OF_BIRTH] === 1).length
  return Math.min(0.5, Math.max(1e-12, strict / recall / (children * rollSize)))
}

/** m by EM over the candidate pairs, with u held fixed. Returns m and the share of pairs that match. */
export function estimateM(pairs: Array<{ vector: Uint8Array }>, u: number[][], iterations = 25): { m: number[][], matchShare: number } {
  // start from "agreement is likely for the same person"
  let m = u.map((levels) => levels.map((_, level) => (level === 0 ? 0 : 2 ** -(level - 1))))
  m = normaliseCounts(m.map((levels) => levels.map((p) => p * 1000)), 0)
  let share = 0.3
  for (let iteration = 0; iteration < iterations; iteration++) {
    const counts = emptyCounts()
    let matched = 0
    for (const { vector } of pairs) {
      let logRatio = Math.log(share / (1 - share))
      for (let field = 0; field < FIELD_COUNT; field++) {
        const level = vector[field] ?? 0
        if (level === 0) continue
        logRatio += Math.log(Math.max(m[field]?.[level] ?? 1e-9, 1e-9) / Math.max(u[field]?.[level] ?? 1e-9, 1e-9))
      }
      const posterior = 1 / (1 + Math.exp(-logRatio))
      matched += posterior
      for (let field = 0; field < FIELD_COUNT; field++) (counts[field] as number[])[vector[field] ?? 0]! += posterior
    }
    share = Math.min(0.99, Math.max(1e-6, matched / pairs.length))
    m = normaliseCounts(counts, 0.01)
  }
  return { m, matchShare: share }
}

/**
 * Isotonic regression (pool adjacent violators) of "is a match" on match weight: the calibrated
 * probability never falls as the weight rises, and equals the observed share of matches in each block.
 */
export function calibrate(labelled: Array<{ weight: number, match: boolean }>, maxPoints = 400): Calibration {
  const sorted = [...labelled].sort((a, b) => a.weight - b.weight)
  const blocks: Array<{ sum: number, count: number, weightSum: number }> = []
  for (const { weight, match } of sorted) {
    blocks.push({ sum: match ? 1 : 0, count: 1, weightSum: weight })
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!
      const before = blocks[blocks.length - 2]!
      if (before.sum / before.count <= last.sum / last.count) break
      before.sum += last.sum
      before.count += last.count
      before.weightSum += last.weightSum
      blocks.pop()
    }
  }
  let points = blocks.map((b) => ({ weight: b.weightSum / b.count, probability: b.sum / b.count, count: b.count }))
  if (points.length > maxPoints) {
    const step = points.length / maxPoints
    points = Array.from({ length: maxPoints }, (_, i) => points[Math.min(points.length - 1, Math.floor(i * step))]!)
  }
  return { weights: points.map((p) => p.weight), probabilities: points.map((p) => p.probability) }
}

export interface TrainingResult {
  model: LinkageModel
  pairs: number
  matchShare: number
}

/** Trains m, u and lambda without labels; add calibration with `calibrate` on labelled pairs. */
export function trainModel(index: RollIndex, children: PreparedRecord[], options: { uPairs?: number, seed?: number } = {}): TrainingResult {
  const u = estimateU(index.records, options.uPairs ?? 300_000, options.seed ?? 1)
  const pairs = candidatePairs(index, children)
  const lambda = estimateLambda(pairs, children.length, index.size)
  const { m, matchShare } = estimateM(pairs, u)
  const fields: FieldParameters[] = FIELDS.map((_, field) => ({ m: m[field] ?? [], u: u[field] ?? [] }))
  return { model: { lambda, fields, calibration: null }, pairs: pairs.length, matchShare }
}

/** Labelled pairs for calibration: every candidate of every child, labelled by the ground truth. */
export function labelledPairs(index: RollIndex, model: LinkageModel, children: Array<{ record: PreparedRecord, trueId: string | null }>): Array<{ weight: number, match: boolean }> {
  const out: Array<{ weight: number, match: boolean }> = []
  for (const { record, trueId } of children) {
    for (const recordId of index.candidates(record)) {
      const candidate = index.records[recordId] as PreparedRecord
      const vector = compareRecords(record, candidate)
      const weight = matchWeight(model, vector, vector[FIRST_NAME] === 1 ? index.firstName(candidate.first) : undefined, vector[SURNAME] === 1 ? index.surname(candidate.last) : undefined)
      out.push({ weight, match: candidate.id === trueId })
    }
  }
  return out
}
