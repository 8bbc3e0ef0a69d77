// npm run bench: figures, never assertions. Start-up, then the linkage library (accuracy on a generated
// hard set and on historical_50k, speed and memory at a million pupils). Start-up: time from `npm start` (src/main.ts) to ready,
// on a fresh embedded database (first start: create, migrate, load demo data) and again (second start).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function timeToReady(dataDir: string): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, ['src/main.ts'], { env: { ...process.env, HARBOUR_DATA_DIR: dataDir, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Sign in at')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`Harbour exited with ${code} before it was ready:\n${output}`)))
  })
  const elapsed = performance.now() - started
  const health = await fetch(`http://127.0.0.1:${port}/health`)
  if (health.status !== 200) throw new Error(`/health answered ${health.status}`)
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  return elapsed
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'harbour-bench-'))
try {
  const first = await timeToReady(dataDir)
  const second = await timeToReady(dataDir)
  console.log('Start-up, npm start to ready (embedded PGlite):')
  console.log(`  first start (new database, migrations, demo data): ${(first / 1000).toFixed(2)} s`)
  console.log(`  second start (existing database):                  ${(second / 1000).toFixed(2)} s`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}

// Linkage, then importing a million-pupil roll: each in its own process, so one's memory does not colour another's figures.
for (const script of ['bench/linkage.ts', 'bench/linkage-historical.ts', 'bench/linkage-speed.ts', 'bench/roll-import.ts', 'bench/intake.ts']) {
  console.log(`\n--- ${script} ---`)
  const run = spawnSync(process.execPath, [script], { stdio: 'inherit' })
  if (run.status !== 0) process.exitCode = 1
}
