// Linkage speed and memory on this machine: a 1,000,000-pupil roll, one child at a time (p50/p99 after
// the index is built), and 100,000 children file to file through `harbour link`. Figures only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateChildren, generateRoll, toCsv } from '../src/linkage/synthetic.ts'
import { spawnSync } from 'node:child_process'
import { ROLL_COLUMNS, CHILD_COLUMNS, defaultModel } from '../src/rolls/link-files.ts'
import { RollIndex } from '../src/linkage/roll-index.ts'
import { matchChild } from '../src/linkage/match.ts'
import { prepareChild, preparePupil } from './linkage-data.ts'

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`
const folder = mkdtempSync(path.join(os.tmpdir(), 'harbour-linkage-'))
try {
  const roll = generateRoll({ pupils: 1_000_000, seed: 11 })
  const children = generateChildren(roll, { children: 100_000, seed: 12 })
  const rollRows = roll.map((p) => ({ pupil_id: p.pupilId, upn: p.upn, urn: p.urn, first_name: p.firstName, middle_names: p.middleNames, last_name: p.lastName, date_of_birth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode }))
  const childRows = children.map((c) => ({ child_id: c.childId, first_name: c.firstName, middle_names: c.middleNames, last_name: c.lastName, date_of_birth: c.dateOfBirth, gender: c.gender, address: c.address, postcode: c.postcode }))
  writeFileSync(path.join(folder, 'pupils.csv'), toCsv(rollRows, [...ROLL_COLUMNS]))
  writeFileSync(path.join(folder, 'children.csv'), toCsv(childRows, [...CHILD_COLUMNS]))

  // one child at a time against the million
  const model = defaultModel()
  const built = performance.now()
  const index = new RollIndex(roll.map(preparePupil))
  const indexSeconds = (performance.now() - built) / 1000
  const times: number[] = []
  for (const child of children.slice(0, 10_000)) {
    const start = performance.now()
    matchChild(index, model, prepareChild(child))
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2)
  console.log(`Index of 1,000,000 pupils built in ${indexSeconds.toFixed(1)} s`)
  console.log(`One child against 1,000,000 pupils (10,000 children, one at a time): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`)

  // file to file, through the real command line in its own process (reading, indexing, matching, writing)
  const started = performance.now()
  const run = spawnSync(process.execPath, ['bin/harbour', 'link', '--roll', path.join(folder, 'pupils.csv'), '--children', path.join(folder, 'children.csv'), '--out', path.join(folder, 'matches.csv')], { encoding: 'utf8' })
  const seconds = (performance.now() - started) / 1000
  if (run.status !== 0) throw new Error(`harbour link failed: ${run.stderr}`)
  const lines = run.stderr.trim().split('\n')
  console.log(`npx harbour link, 100,000 children against 1,000,000 pupils, end to end: ${seconds.toFixed(1)} s`)
  for (const line of lines.filter((l) => /indexed|matched 100,000|Wrote/.test(l))) console.log(`  ${line}`)
  console.log(`Peak memory of this benchmark process (generator and a second index included): ${mb(process.resourceUsage().maxRSS * 1024)}`)
} finally {
  rmSync(folder, { recursive: true, force: true })
}
