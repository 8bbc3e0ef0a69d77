// Training the Splink way: u from random pairs, lambda from a strict deterministic rule and a recall
// guess, m by expectation-maximisation on the blocked candidate pairs (u held fixed). Then
// calibration on labelled pairs, so that a probability of 0.95 is right 95 times in 100.
import { ADDRESS, DATE_OF_BIRTH, FIELDS, FIELD_COUNT, FIRST_NAME, GENDER, POSTCODE, SURNAME, compareRecords } from './comparisons.ts'
import type { PreparedRecord } from './normalise.ts'
import type { Calibration, FieldParameters, LinkageModel } from './model.ts'
import { DEFAULT_THRESHOLDS, guardsFor, scoreCandidate } from './match.ts'
import type { Thresholds } from './match.ts'
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

/**
 * m by EM over candidate pairs, with u held fixed, for the fields in `fields` only. Returns m for
 * those fields and the share of pairs that match.
 */
export function estimateM(pairs: Array<{ vector: Uint8Array }>, u: number[][], fields: number[] = FIELDS.map((_, i) => i), iterations = 25): { m: number[][], matchShare: number } {
  // start from "the same person mostly agrees"
  let m = u.map((levels) => normaliseCounts([levels.map((_, level) => (level === 0 ? 0 : 1000 * 2 ** -(3 * (level - 1))))], 0)[0] as number[])
  let share = 0.3
  for (let iteration = 0; iteration < iterations; iteration++) {
    const counts = emptyCounts()
    let matched = 0
    for (const { vector } of pairs) {
      let logRatio = Math.log(share / (1 - share))
      for (const field of fields) {
        const level = vector[field] ?? 0
        if (level === 0) continue
        logRatio += Math.log(Math.max(m[field]?.[level] ?? 1e-9, 1e-9) / Math.max(u[field]?.[level] ?? 1e-9, 1e-9))
      }
      const posterior = 1 / (1 + Math.exp(-logRatio))
      matched += posterior
      for (const field of fields) (counts[field] as number[])[vector[field] ?? 0]! += posterior
    }
    share = Math.min(0.99, Math.max(1e-6, matched / pairs.length))
    const next = normaliseCounts(counts, 0.01)
    m = m.map((levels, field) => (fields.includes(field) ? next[field] as number[] : levels))
  }
  return { m, matchShare: share }
}

/** Pairs of children and pupils that agree on one key: a training session's blocking rule. */
export function sessionPairs(roll: PreparedRecord[], children: PreparedRecord[], key: (r: PreparedRecord) => string | null, maxBlock = 50): Array<{ vector: Uint8Array }> {
  const byKey = new Map<string, PreparedRecord[]>()
  for (const pupil of roll) {
    const k = key(pupil)
    if (k === null) continue
    let block = byKey.get(k)
    if (!block) byKey.set(k, (block = []))
    block.push(pupil)
  }
  const pairs: Array<{ vector: Uint8Array }> = []
  for (const child of children) {
    const k = key(child)
    const block = k === null ? undefined : byKey.get(k)
    if (!block || block.length > maxBlock) continue
    for (const pupil of block) pairs.push({ vector: compareRecords(child, pupil) })
  }
  return pairs
}

/**
 * Training sessions, as Splink does them: block on one thing and learn m for everything else. Blocking
 * on the date of birth teaches the name, gender and address fields; blocking on the full name teaches
 * the date of birth (siblings, who share surname and home, differ in first name and so stay out).
 */
export const TRAINING_SESSIONS: Array<{ name: string, key: (r: PreparedRecord) => string | null, fields: number[] }> = [
  { name: 'date of birth', key: (r) => r.dob || null, fields: [FIRST_NAME, SURNAME, GENDER, POSTCODE, ADDRESS] },
  { name: 'first name and surname', key: (r) => (r.first && r.last ? `${r.first}|${r.last}` : null), fields: [DATE_OF_BIRTH] }
]

/**
 * Isotonic regression (pool adjacent violators) of "is a match" on match weight: the calibrated
 * probability never falls as the weight rises, and equals the observed share of matches in each block.
 */
export function calibrate(labelled: Array<{ weight: number, match: boolean }>): Calibration {
  const sorted = [...labelled].sort((a, b) => a.weight - b.weight)
  const blocks: Array<{ sum: number, count: number, low: number, high: number }> = []
  for (const { weight, match } of sorted) {
    blocks.push({ sum: match ? 1 : 0, count: 1, low: weight, high: weight })
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!
      const before = blocks[blocks.length - 2]!
      if (before.sum / before.count < last.sum / last.count) break
      before.sum += last.sum
      before.count += last.count
      before.high = last.high
      blocks.pop()
    }
  }
  // each block is a flat step from its lowest to its highest weight; between blocks, a straight line
  const weights: number[] = []
  const probabilities: number[] = []
  for (const block of blocks) {
    const probability = block.sum / block.count
    weights.push(block.low)
    probabilities.push(probability)
    if (block.high > block.low) {
      weights.push(block.high)
      probabilities.push(probability)
    }
  }
  return { weights, probabilities }
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
  const m: number[][] = u.map((levels) => levels.map(() => 0))
  let matchShare = 0
  for (const session of TRAINING_SESSIONS) {
    const result = estimateM(sessionPairs(index.records, children, session.key), u, session.fields)
    for (const field of session.fields) m[field] = result.m[field] as number[]
    matchShare = Math.max(matchShare, result.matchShare)
  }
  const fields: FieldParameters[] = FIELDS.map((_, field) => ({ m: m[field] ?? [], u: u[field] ?? [] }))
  return { model: { lambda, fields, calibration: null }, pairs: pairs.length, matchShare }
}

/**
 * Labelled examples for calibration: for each child, the best candidate's weight, whether a guard
 * stopped it, and whether it is the right pupil (by ground truth, or by a caseworker's decision). The
 * probability Harbour reports is about its best candidate, so that is what is calibrated.
 */
export function labelledBest(index: RollIndex, model: LinkageModel, children: Array<{ record: PreparedRecord, trueId: string | null }>, thresholds: Thresholds = DEFAULT_THRESHOLDS): Array<{ weight: number, match: boolean, guarded: boolean }> {
  const out: Array<{ weight: number, match: boolean, guarded: boolean }> = []
  const uncalibrated: LinkageModel = { ...model, calibration: null, guardedCalibration: null }
  for (const { record, trueId } of children) {
    const scored = index.candidates(record).map((recordId) => scoreCandidate(uncalibrated, index, record, index.records[recordId] as PreparedRecord, recordId))
    scored.sort((a, b) => b.weight - a.weight)
    const best = scored[0]
    if (!best) continue
    out.push({ weight: best.weight, match: best.id === trueId, guarded: guardsFor(best, scored[1], thresholds).length > 0 })
  }
  return out
}

/** Both calibrations of a model, from labelled best candidates. */
export function calibrateModel(model: LinkageModel, labelled: Array<{ weight: number, match: boolean, guarded: boolean }>): LinkageModel {
  return {
    ...model,
    calibration: calibrate(labelled.filter((l) => !l.guarded)),
    guardedCalibration: calibrate(labelled.filter((l) => l.guarded))
  }
}
