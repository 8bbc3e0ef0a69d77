// npm test's runner: the whole suite on the embedded PGlite, then again on a PostgreSQL server when
// TEST_DATABASE_URL is set (CI sets it). Fails if either run fails.
import { spawnSync } from 'node:child_process'

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src/**/*.test.ts', 'test/**/*.test.ts']
const runs: Array<'pglite' | 'postgres'> = ['pglite']
if (process.env.TEST_DATABASE_URL) runs.push('postgres')
else console.log('TEST_DATABASE_URL is not set: running on the embedded PGlite only.')

let failed = false
for (const run of runs) {
  console.log(`\n=== Harbour test suite on ${run === 'pglite' ? 'PGlite (embedded)' : `PostgreSQL (${process.env.TEST_DATABASE_URL})`} ===\n`)
  const result = spawnSync(process.execPath, ['--test', '--test-timeout=180000', ...files], {
    stdio: 'inherit',
    env: { ...process.env, HARBOUR_TEST_DB: run }
  })
  if (result.status !== 0) {
    failed = true
    console.error(`\nThe suite FAILED on ${run}.`)
  }
}
process.exit(failed ? 1 : 0)
