// An in-memory index over a roll, for finding the few pupils worth comparing with a child (blocking).
// Each blocking rule turns a record into a key; keys are hashed to 32 bits and kept in one sorted
// array, so a million pupils take tens of megabytes rather than millions of map entries. A hash
// collision only adds a candidate, which scoring then rejects.
import type { PreparedRecord } from './normalise.ts'
import type { TermFrequencies } from './model.ts'

/** Blocking rules: a candidate must agree with the child on at least one. A rule whose block is larger than maxBlock (a very common name) is skipped for that child. */
export const BLOCKING_RULES: Array<{ name: string, key: (r: PreparedRecord) => string | null, maxBlock?: number }> = [
  { name: 'date of birth and surname sound', key: (r) => (r.dob && r.lastPhonetic ? `d${r.dob}${r.lastPhonetic}` : null) },
  { name: 'first name, surname sound and year of birth', key: (r) => (r.firstCanonical && r.lastPhonetic && r.dob ? `n${r.firstCanonical}|${r.lastPhonetic}${r.dob.slice(0, 4)}` : null) },
  { name: 'first name, surname sound and postcode district', key: (r) => (r.firstCanonical && r.lastPhonetic && r.postcode.district ? `m${r.firstCanonical}|${r.lastPhonetic}${r.postcode.district}` : null) },
  { name: 'postcode and first name', key: (r) => (r.postcode.full && r.firstCanonical ? `p${r.postcode.full}|${r.firstCanonical}` : null) },
  { name: 'postcode and date of birth', key: (r) => (r.postcode.full && r.dob ? `q${r.postcode.full}${r.dob}` : null) },
  { name: 'date of birth and first name sound', key: (r) => (r.dob && r.firstPhonetic ? `s${r.dob}${r.firstPhonetic}` : null) },
  { name: 'postcode and surname sound', key: (r) => (r.postcode.full && r.lastPhonetic ? `h${r.postcode.full}${r.lastPhonetic}` : null) },
  { name: 'date of birth and both names, either way round', key: (r) => (r.dob && r.firstPhonetic && r.lastPhonetic ? `w${r.dob}${[r.firstPhonetic, r.lastPhonetic].sort().join('')}` : null) },
  { name: 'first name and surname sound', key: (r) => (r.firstCanonical && r.lastPhonetic ? `f${r.firstCanonical}|${r.lastPhonetic}` : null), maxBlock: 100 }
]

// A 31-bit key hash times 2^22 ids stays below 2^53, so each entry is an exact float64.
const ID_BITS = 2 ** 22 // up to 4,194,304 records

function hash31(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 1
}

function frequencies(values: Iterable<string>, total: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1)
  const out = new Map<string, number>()
  for (const [value, count] of counts) out.set(value, count / total)
  return out
}

export class RollIndex implements TermFrequencies {
  readonly records: PreparedRecord[]
  readonly #entries: Float64Array
  readonly #firstNames: Map<string, number>
  readonly #surnames: Map<string, number>
  readonly #seen: Int32Array
  #stamp = 0

  constructor(records: PreparedRecord[]) {
    if (records.length >= ID_BITS) throw new Error(`A roll index holds at most ${ID_BITS - 1} records`)
    this.records = records
    const packed: number[] = []
    for (let id = 0; id < records.length; id++) {
      const record = records[id] as PreparedRecord
      for (const rule of BLOCKING_RULES) {
        const key = rule.key(record)
        if (key !== null) packed.push(hash31(key) * ID_BITS + id)
      }
    }
    this.#entries = Float64Array.from(packed).sort()
    this.#firstNames = frequencies(records.map((r) => r.first), records.length)
    this.#surnames = frequencies(records.map((r) => r.last), records.length)
    this.#seen = new Int32Array(records.length)
  }

  get size(): number { return this.records.length }

  firstName(name: string): number | undefined { return this.#firstNames.get(name) }
  surname(name: string): number | undefined { return this.#surnames.get(name) }

  #lowerBound(value: number): number {
    let lo = 0
    let hi = this.#entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.#entries[mid] ?? 0) < value) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Ids of the records that agree with this one on at least one blocking rule, each once. */
  candidates(record: PreparedRecord, limitPerRule = 2000): number[] {
    this.#stamp++
    if (this.#stamp === 0x7fffffff) {
      this.#seen.fill(0)
      this.#stamp = 1
    }
    const out: number[] = []
    for (const rule of BLOCKING_RULES) {
      const key = rule.key(record)
      if (key === null) continue
      const base = hash31(key) * ID_BITS
      const end = base + ID_BITS
      const from = this.#lowerBound(base)
      const blockEnd = this.#lowerBound(end)
      if (rule.maxBlock !== undefined && blockEnd - from > rule.maxBlock) continue
      const to = Math.min(blockEnd, from + limitPerRule)
      for (let i = from; i < to; i++) {
        const id = (this.#entries[i] ?? base) - base
        if (this.#seen[id] !== this.#stamp) {
          this.#seen[id] = this.#stamp
          out.push(id)
        }
      }
    }
    return out
  }
}
