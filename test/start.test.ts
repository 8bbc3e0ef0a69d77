// npm start's promise: the real src/main.ts, started twice in a row on the same database, is ready,
// healthy and stops cleanly on SIGTERM; the second start loads no demo data again and loses nothing.
// In production with nothing configured it refuses to start and names what is missing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freshPostgresDatabase, onPostgres } from './support/harbour.ts'
import { openDatabase } from '../src/platform/db/database.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MAIN = path.join(ROOT, 'src', 'main.ts')
const READY_MS = 90_000
const EXIT_MS = 30_000

let dataDir = ''
let postgres: { url: string, drop(): Promise<void> } | undefined
const children = new Set<ChildProcess>()

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-start-test-'))
  if (onPostgres) postgres = await freshPostgresDatabase()
})

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await postgres?.drop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

interface Run {
  child: ChildProcess
  output(): string
  /** resolves with the exit code (or the signal) when the process ends */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

function run(env: NodeJS.ProcessEnv, cwd = ROOT): Run {
  const child = spawn(process.execPath, [MAIN], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  let text = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  return { child, output: () => text, exited }
}

function within<T>(ms: number, what: string, promise: Promise<T>, output: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Gave up after ${ms / 1000}s waiting for ${what}. Output so far:\n${output()}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Waits for the ready line and the sign-in address; fails at once if the process exits first. */
async function ready(started: Run): Promise<{ signIn: string, reportedSeconds: number }> {
  const seen = new Promise<{ signIn: string, reportedSeconds: number }>((resolve, reject) => {
    const check = () => {
      const text = started.output()
      const readyLine = /Harbour is ready in ([\d.]+)s/.exec(text)
      const signIn = /Sign in at (\S+)/.exec(text)
      if (readyLine && signIn) {
        started.child.stdout?.off('data', check)
        resolve({ signIn: signIn[1] ?? '', reportedSeconds: Number(readyLine[1]) })
      }
    }
    started.child.stdout?.on('data', check)
    check()
    void started.exited.then(({ code, signal }) => reject(new Error(`Harbour exited (code ${code}, signal ${signal}) before it was ready:\n${started.output()}`)))
  })
  return await within(READY_MS, 'the "Harbour is ready" line', seen, started.output)
}

async function counts() {
  const database = await openDatabase({ databaseUrl: postgres?.url, dataDir })
  try {
    const count = async (table: 'organisation' | 'app_user') =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const demoLoads = await database.db.selectFrom('audit_event').select('id').where('action', '=', 'demo-data-load').execute()
    return { organisations: await count('organisation'), users: await count('app_user'), demoLoads: demoLoads.length }
  } finally {
    await database.close()
  }
}

async function startAndStop(label: string) {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HARBOUR_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
  delete env.NODE_ENV
  delete env.DATABASE_URL
  delete env.HARBOUR_DEMO
  delete env.SMTP_URL
  if (postgres) env.DATABASE_URL = postgres.url

  const t0 = performance.now()
  const started = run(env)
  const { signIn, reportedSeconds } = await ready(started)
  const readyMs = performance.now() - t0
  console.log(`${label} start (${postgres ? 'PostgreSQL' : 'PGlite'}): ready ${(readyMs / 1000).toFixed(1)}s after spawn; Harbour reported ${reportedSeconds}s`)

  assert.equal(signIn, `http://localhost:${port}/sign-in`)
  const lockFile = path.join(dataDir, 'harbour.pid')
  if (!postgres) assert.equal(readFileSync(lockFile, 'utf8'), String(started.child.pid), 'while running, the data folder is locked with its pid')

  const health = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(10_000) })
  assert.equal(health.status, 200, await health.clone().text())
  assert.deepEqual(await health.json(), { status: 'ok', database: 'ok', jobs: 'ok' })
  const page = await fetch(signIn, { signal: AbortSignal.timeout(10_000) })
  assert.equal(page.status, 200, 'the printed sign-in address opens')

  assert.ok(started.child.kill('SIGTERM'))
  const { code, signal } = await within(EXIT_MS, 'Harbour to stop after SIGTERM', started.exited, started.output)
  assert.equal(signal, null, `stopped by a signal rather than exiting:\n${started.output()}`)
  assert.equal(code, 0, `exit code after SIGTERM:\n${started.output()}`)
  assert.ok(!existsSync(lockFile), 'the pid lock file is gone after a clean stop')
  return { readyMs, output: started.output() }
}

test('npm start twice on the same database: ready, healthy, clean stop, demo data loaded once and nothing lost', async () => {
  const first = await startAndStop('first')
  assert.match(first.output, /Demo sign-ins/)
  const afterFirst = await counts()
  assert.ok(afterFirst.organisations >= 10 && afterFirst.users >= 10, `demo data is there: ${JSON.stringify(afterFirst)}`)
  assert.equal(afterFirst.demoLoads, 1)

  const second = await startAndStop('second')
  const afterSecond = await counts()
  assert.deepEqual(afterSecond, afterFirst, 'the second start neither loads demo data again nor loses any')
  console.log(`time to ready: first ${(first.readyMs / 1000).toFixed(1)}s, second ${(second.readyMs / 1000).toFixed(1)}s`)
})

test('in production with nothing set, Harbour refuses to start and names the missing settings', async () => {
  // an empty folder as the working directory, so nothing here could be mistaken for configuration or data
  const cwd = mkdtempSync(path.join(tmpdir(), 'harbour-production-test-'))
  try {
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'production' }
    for (const name of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) if (process.env[name] !== undefined) env[name] = process.env[name]
    const started = run(env, cwd)
    const { code } = await within(EXIT_MS, 'Harbour to refuse to start', started.exited, started.output)
    const output = started.output()
    assert.equal(code, 1, output)
    assert.match(output, /Harbour did not start/)
    for (const name of ['SESSION_SECRET', 'PUBLIC_URL', 'DATABASE_URL', 'SMTP_URL']) assert.match(output, new RegExp(`\\b${name}\\b`), `names ${name}:\n${output}`)
    assert.doesNotMatch(output, /Harbour is ready/)
    assert.ok(!existsSync(path.join(cwd, 'data')), 'it created no data folder')
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
})
