// The command line, run for real as a child process (bin/harbour, and npx harbour) against a database
// of its own: the embedded PGlite in a temporary folder, or a fresh database on the PostgreSQL server.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { commandLine, freshPostgresDatabase, onPostgres } from './support/harbour.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import type { Database } from '../src/platform/db/database.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { loadDemoData } from '../src/organisations/demo.ts'
import { appendAudit } from '../src/platform/audit/audit.ts'
import { loadConfig } from '../src/platform/config.ts'
import { startHarbour } from '../src/platform/app.ts'
import { sha256 } from '../src/platform/auth/auth-service.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const KEY = /^hbr_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/

let dataDir = ''
let postgres: { url: string, drop(): Promise<void> } | undefined
/** bin/harbour against this file's database */
let harbour: ReturnType<typeof commandLine>

/** The test's own connection to the same database the command line uses. */
async function open(): Promise<Database> {
  return await openDatabase({ databaseUrl: postgres?.url, dataDir })
}

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-cli-test-'))
  if (onPostgres) postgres = await freshPostgresDatabase()
  const database = await open()
  try {
    await migrate(database.db)
    await loadDemoData(database.db)
    // a few more entries, so the chain has a middle to tamper with
    for (const n of [1, 2, 3]) await appendAudit(database.db, { actor: { label: 'cli test' }, action: 'test-entry', details: { n } })
  } finally {
    await database.close()
  }
  harbour = commandLine({ dataDir, databaseUrl: postgres?.url, user: 'cli-test' })
})

after(async () => {
  await postgres?.drop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

test('npx harbour --help runs the project\'s own command line, without the registry', () => {
  // A throwaway npm cache and --offline: npx must find bin/harbour in this project, not fetch a package called harbour.
  const cache = mkdtempSync(path.join(tmpdir(), 'harbour-npx-cache-'))
  try {
    const result = spawnSync('npx', ['--offline', 'harbour', '--help'], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, npm_config_cache: cache, npm_config_offline: 'true', npm_config_update_notifier: 'false' }
    })
    assert.equal(result.error, undefined, `npx could not run: ${result.error?.message}`)
    assert.equal(result.status, 0, `npx harbour --help failed:\n${result.stdout}\n${result.stderr}`)
    assert.match(result.stdout, /^Usage: npx harbour <command>/m)
    assert.match(result.stdout, /keys create --org <reference> --name <label>/)
  } finally {
    rmSync(cache, { recursive: true, force: true })
  }
})

test('bin/harbour --help prints the usage and exits 0', () => {
  const result = harbour('--help')
  assert.equal(result.status, 0, result.output)
  assert.match(result.stdout, /^Usage: npx harbour <command>/m)
})

test('keys create prints the key as the last line; the key works and the database keeps only its hash', async () => {
  const result = harbour('keys', 'create', '--org', 'HPF', '--name', 'Police records system')
  assert.equal(result.status, 0, result.output)
  const lines = result.stdout.trimEnd().split('\n')
  const key = lines[lines.length - 1] ?? ''
  assert.match(key, KEY, `the last line of stdout is the key:\n${result.stdout}`)
  assert.match(result.stdout, /Harbourshire Police \(HPF\)/)

  const config = loadConfig({
    HARBOUR_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', HARBOUR_DEMO: 'false', JOB_POLLING_SECONDS: '1',
    ...(postgres ? { DATABASE_URL: postgres.url } : {})
  })
  const running = await startHarbour(config, { listen: false })
  try {
    const whoami = await running.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: `Bearer ${key}` } })
    assert.equal(whoami.statusCode, 200, whoami.body)
    const body = whoami.json() as { organisation: { reference: string }, key: { name: string } }
    assert.equal(body.organisation.reference, 'HPF')
    assert.equal(body.key.name, 'Police records system')

    const wrong = await running.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: `Bearer ${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` } })
    assert.equal(wrong.statusCode, 401, 'a key with one character changed is refused')

    const db = running.services.db
    const rows = await db.selectFrom('api_key').selectAll().where('name', '=', 'Police records system').execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]?.key_hash, sha256(key))
    assert.equal(rows[0]?.prefix, key.split('_')[1])
    const secret = key.split('_').slice(2).join('_')
    const everything = JSON.stringify({
      keys: await db.selectFrom('api_key').selectAll().execute(),
      audit: await db.selectFrom('audit_event').selectAll().execute()
    })
    assert.ok(!everything.includes(secret), 'the secret part of the key is stored nowhere')
    const audit = await db.selectFrom('audit_event').selectAll().where('action', '=', 'api-key-create').where('record_id', '=', rows[0]?.id ?? '').executeTakeFirst()
    assert.ok(audit, 'creating the key is in the audit trail')
    assert.match(audit.actor_label, /command line/)
  } finally {
    await running.close()
  }
})

test('keys create with an unknown organisation exits non-zero and names the reference', () => {
  const result = harbour('keys', 'create', '--org', 'NO-SUCH-ORG', '--name', 'Anything')
  assert.notEqual(result.status, 0, result.output)
  assert.match(result.stderr, /NO-SUCH-ORG/)
  assert.doesNotMatch(result.stdout, /hbr_/, 'no key is printed')
})

test('audit verify says the trail is intact', () => {
  const result = harbour('audit', 'verify')
  assert.equal(result.status, 0, result.output)
  assert.match(result.stdout, /intact/)
})

test('audit verify fails and names the entry after one is edited behind the trigger\'s back', async () => {
  const database = await open()
  let tampered = 0
  try {
    const ids = (await database.db.selectFrom('audit_event').select('id').orderBy('id').execute()).map((r) => r.id)
    assert.ok(ids.length >= 3, `the chain has a middle (${ids.length} entries)`)
    tampered = ids[Math.floor(ids.length / 2)] ?? 0
    await assert.rejects(
      database.db.updateTable('audit_event').set({ action: 'nothing-to-see' }).where('id', '=', tampered).execute(),
      /append-only/, 'the trigger refuses an ordinary update'
    )
    await sql`alter table audit_event disable trigger audit_event_no_update`.execute(database.db)
    await database.db.updateTable('audit_event').set({ action: 'nothing-to-see' }).where('id', '=', tampered).execute()
    await sql`alter table audit_event enable trigger audit_event_no_update`.execute(database.db)
  } finally {
    await database.close()
  }
  const result = harbour('audit', 'verify')
  assert.notEqual(result.status, 0, result.output)
  assert.match(result.stderr, new RegExp(`\\bentry ${tampered}\\b`), `names entry ${tampered}:\n${result.output}`)
  assert.doesNotMatch(result.stdout, /intact/)
})

test('on the embedded database the command line refuses a data folder another process holds', { skip: onPostgres ? 'the pid lock guards only the embedded database' : false }, () => {
  const lockFile = path.join(dataDir, 'harbour.pid')
  // this test process is alive, so its pid in the lock file means "in use"
  writeFileSync(lockFile, String(process.pid))
  try {
    for (const args of [['audit', 'verify'], ['keys', 'create', '--org', 'HPF', '--name', 'Should not exist']]) {
      const result = harbour(...args)
      assert.equal(result.status, 1, result.output)
      assert.match(result.stderr, new RegExp(`in use by another Harbour process \\(pid ${process.pid}\\)`), result.output)
      assert.match(result.stderr, /Stop it first/)
      assert.doesNotMatch(result.stdout, /intact|hbr_/, 'it did not open the database')
      assert.equal(readFileSync(lockFile, 'utf8'), String(process.pid), 'the other process\'s lock is left alone')
    }
  } finally {
    rmSync(lockFile, { force: true })
  }
})

test('npx harbour import gias imports one local authority\'s settings and their links; a bad file imports nothing', async () => {
  const bad = path.join(dataDir, 'bad-gias.csv')
  writeFileSync(bad, Buffer.from('URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),StatutoryLowAge,StatutoryHighAge,Postcode\r\n12345,990,Harbourshire,Bad School,,Open,Primary,4,11,\r\n', 'latin1'))
  const refused = harbour('import', 'gias', '--file', bad)
  assert.equal(refused.status, 1, refused.output)
  assert.match(refused.stderr, /establishments: line 2: URN — "12345" is not a URN/)
  assert.match(refused.stderr, /Nothing was imported/)

  const result = harbour('import', 'gias', '--file', 'test/fixtures/gias/establishments.csv', '--links', 'test/fixtures/gias/links.csv', '--la', '990')
  assert.equal(result.status, 0, result.output)
  assert.match(result.stdout, /Imported 7 education settings in LA 990 from establishments\.csv: 5 new, 2 updated, 2 of other local authorities left out\./)
  assert.match(result.stdout, /5 links/)
  const database = await open()
  try {
    const bede = await database.db.selectFrom('organisation').select('name').where('urn', '=', '990003').executeTakeFirstOrThrow()
    assert.equal(bede.name, 'St Bede\u2019s Catholic Primary School')
    assert.equal(await database.db.selectFrom('organisation').select('id').where('urn', '=', '991001').executeTakeFirst(), undefined)
  } finally {
    await database.close()
  }
})

test('npx harbour import home-education replaces the council\'s register; a bad file imports nothing; only a council can hold one', async () => {
  const bad = path.join(dataDir, 'bad-register.csv')
  writeFileSync(bad, 'register_ref,first_name,middle_names,last_name,date_of_birth,gender,address,postcode,registered_on\nEHE-1,Rowan,,Synthetic,someday,F,,,\n')
  const refused = harbour('import', 'home-education', '--file', bad)
  assert.equal(refused.status, 1, refused.output)
  assert.match(refused.stderr, /line 2: date_of_birth — "someday" is not a date/)
  assert.match(refused.stderr, /Nothing was imported/)

  const notCouncil = harbour('import', 'home-education', '--file', 'test/fixtures/home-education/register.csv', '--org', 'HPF')
  assert.equal(notCouncil.status, 1, notCouncil.output)
  assert.match(notCouncil.stderr, /HPF is not a council/)

  const result = harbour('import', 'home-education', '--file', 'test/fixtures/home-education/register.csv')
  assert.equal(result.status, 0, result.output)
  assert.match(result.stdout, /Imported the home education register from register\.csv: 3 children \(it had 0\)\./)
  const database = await open()
  try {
    const rows = await database.db.selectFrom('home_education_child').select('register_ref').execute()
    assert.equal(rows.length, 3)
  } finally {
    await database.close()
  }
})
