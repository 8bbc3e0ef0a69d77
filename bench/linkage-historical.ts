// An independent check on public data with ground truth: historical_50k (Splink's datasets; adults,
// with injected errors). Every record is matched against all the others through the same blocking and
// model; pairwise precision and recall are reported at the auto and review thresholds. The model was
// trained and calibrated on generated children, so these figures also show how it travels.
import { existsSync } from 'node:fs'
import { readCsvFile } from '../src/platform/csv.ts'
import { prepare } from '../src/linkage/normalise.ts'
import type { PreparedRecord } from '../src/linkage/normalise.ts'
import { RollIndex } from '../src/linkage/roll-index.ts'
import { DEFAULT_THRESHOLDS, scoreCandidate } from '../src/linkage/match.ts'
import { defaultModel } from '../src/rolls/link-files.ts'

const FILE = new URL('../../shared/data/linkage/historical_50k.csv', import.meta.url).pathname

export async function historicalFigures() {
  if (!existsSync(FILE)) return undefined
  const records: PreparedRecord[] = []
  const clusters: string[] = []
  let header: Record<string, number> | undefined
  for await (const row of readCsvFile(FILE)) {
    if (!header) {
      header = Object.fromEntries(row.values.map((name, i) => [name, i]))
      continue
    }
    const get = (name: string) => row.values[header![name]!] ?? ''
    const gender = get('gender') === 'male' ? 'M' : get('gender') === 'female' ? 'F' : ''
    records.push(prepare({ id: get('unique_id'), firstName: get('first_name'), lastName: get('surname'), dateOfBirth: get('dob'), gender, postcode: get('postcode_fake') }))
    clusters.push(get('cluster'))
  }
  const index = new RollIndex(records)
  const model = defaultModel()
  const clusterSizes = new Map<string, number>()
  for (const cluster of clusters) clusterSizes.set(cluster, (clusterSizes.get(cluster) ?? 0) + 1)
  let truePairs = 0
  for (const n of clusterSizes.values()) truePairs += (n * (n - 1)) / 2
  const at = { auto: { predicted: 0, right: 0 }, review: { predicted: 0, right: 0 } }
  let candidatePairs = 0
  records.forEach((record, i) => {
    for (const j of index.candidates(record)) {
      if (j <= i) continue
      candidatePairs++
      const { probability } = scoreCandidate(model, index, record, records[j]!, j)
      const same = clusters[i] === clusters[j]
      if (probability >= DEFAULT_THRESHOLDS.review) {
        at.review.predicted++
        if (same) at.review.right++
      }
      if (probability >= DEFAULT_THRESHOLDS.auto) {
        at.auto.predicted++
        if (same) at.auto.right++
      }
    }
  })
  const figures = (x: { predicted: number, right: number }) => ({ precision: Number((x.right / x.predicted).toFixed(4)), recall: Number((x.right / truePairs).toFixed(4)), pairs: x.predicted })
  return { records: records.length, truePairs, candidatePairs, atAutoThreshold: figures(at.auto), atReviewThreshold: figures(at.review) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await historicalFigures()
  console.log(figures ? { historical_50k: figures } : `historical_50k.csv not found at ${FILE}`)
}
