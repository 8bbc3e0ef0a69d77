// Pupil roll import at a whole council's scale: 1,000,000 synthetic pupils as a CSV, imported into a new
// embedded PGlite database (in a temporary folder, as `npm start` keeps it) and, when TEST_DATABASE_URL is
// set, into a new PostgreSQL database (dropped after). Then a re-import of the same settings a day later,
// with 1% of pupils gone, 1% new and 1% moved house. Figures only, never assertions.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { generateRoll, toCsv } from '../src/linkage/synthetic.ts'
import { ROLL_COLUMNS } from '../src/rolls/link-files.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import type { Database } from '../src/platform/db/database.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { RollImportService } from '../src/rolls/roll-import.ts'
import { todayInLondon } from '../src/platform/time/dates.ts'
import type { RollImportProgress } from '../src/rolls/roll-import.ts'

const PUPILS = Number(process.env.ROLL_BENCH_PUPILS ?? 1_000_000)
const count = (n: number) => n.toLocaleString('en-GB')

function dayBefore(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10)
}

const folder = mkdtempSync(path.join(os.tmpdir(), 'harbour-roll-bench-'))
try {
  let started = performance.now()
  const roll = generateRoll({ pupils: PUPILS, seed: 21 })
  const rows = roll.map((p) => ({ pupil_id: p.pupilId, upn: p.upn, urn: p.urn, first_name: p.firstName, middle_names: p.middleNames, last_name: p.lastName, date_of_birth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode }))
  const first = path.join(folder, 'council-roll.csv')
  writeFileSync(first, toCsv(rows, [...ROLL_COLUMNS]))
  // a day later: every hundredth pupil gone, as many new ones, every hundredth (another) moved house
  const later = rows.filter((_, i) => i % 100 !== 7).map((row, i) => (i % 100 === 3 ? { ...row, address: `Flat 9, ${row.address}` } : row))
  for (let i = 0; i < rows.length; i += 100) later.push({ ...rows[i]!, pupil_id: `N${rows[i]!.pupil_id}`, first_name: 'Newcomer' })
  const second = path.join(folder, 'council-roll-next-day.csv')
  writeFileSync(second, toCsv(later, [...ROLL_COLUMNS]))
  const settings = new Set(rows.map((r) => r.urn)).size
  console.log(`Generated ${count(rows.length)} pupils at ${count(settings)} settings and wrote them as CSV in ${((performance.now() - started) / 1000).toFixed(1)} s`)

  const today = todayInLondon()
  const asAt = [dayBefore(today), today]

  async function run(label: string, database: Database) {
    try {
      await migrate(database.db)
      const importer = new RollImportService(database.db)
      for (const [i, file] of [first, second].entries()) {
        const phases: Partial<Record<RollImportProgress['phase'], number>> = {}
        let phaseStarted = performance.now()
        let phase: RollImportProgress['phase'] = 'validating'
        started = performance.now()
        const result = await importer.importFile({
          path: file, asAt: asAt[i], actor: { label: 'benchmark' },
          onProgress: (p) => {
            if (p.phase === phase) return
            phases[phase] = (performance.now() - phaseStarted) / 1000
            phase = p.phase
            phaseStarted = performance.now()
          }
        })
        phases[phase] = (performance.now() - phaseStarted) / 1000
        const seconds = (performance.now() - started) / 1000
        if (!result.ok) throw new Error(`the import failed: ${result.problems.slice(0, 5).join('; ')}`)
        const what = i === 0 ? 'first import (empty database)' : 're-import a day later      '
        console.log(`  ${what}: ${count(result.pupils)} pupils in ${seconds.toFixed(1)} s, ${count(Math.round(result.pupils / seconds))} rows/s` +
          ` (check ${phases.validating?.toFixed(1)} s, stage ${phases.writing?.toFixed(1)} s, merge ${phases.merging?.toFixed(1)} s);` +
          ` joined ${count(result.joined)}, left ${count(result.left)}`)
      }
    } finally {
      await database.close()
    }
    console.log(`  (${label}; peak memory of this process so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB)`)
  }

  console.log(`Roll import on PGlite (embedded, a data folder on disk):`)
  const dataDir = path.join(folder, 'pglite')
  await run('PGlite', await openDatabase({ dataDir }))

  const serverUrl = process.env.TEST_DATABASE_URL
  if (serverUrl) {
    const name = `harbour_bench_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    try {
      const url = new URL(serverUrl)
      url.pathname = `/${name}`
      console.log(`Roll import on PostgreSQL (${new URL(serverUrl).host}, a new database):`)
      await run('PostgreSQL', await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory' }))
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  } else {
    console.log('Roll import on PostgreSQL: skipped (set TEST_DATABASE_URL to a PostgreSQL server to measure it)')
  }
} finally {
  rmSync(folder, { recursive: true, force: true })
}
