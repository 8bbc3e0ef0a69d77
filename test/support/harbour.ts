// A whole Harbour for a test: its own database (an in-memory PGlite, or a fresh database on the
// PostgreSQL server when the suite runs with HARBOUR_TEST_DB=postgres), dropped at the end.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { loadConfig } from '../../src/platform/config.ts'
import type { Config } from '../../src/platform/config.ts'
import { startHarbour } from '../../src/platform/app.ts'
import type { Harbour } from '../../src/platform/app.ts'
import { CSRF_COOKIE, SESSION_COOKIE, csrfTokenFor } from '../../src/platform/http/server.ts'
import { randomToken, sha256 } from '../../src/platform/auth/auth-service.ts'
import type { Role } from '../../src/platform/access/roles.ts'

export const onPostgres = process.env.HARBOUR_TEST_DB === 'postgres'

/** A new, empty database on the TEST_DATABASE_URL server, and a way to drop it again. */
export async function freshPostgresDatabase(): Promise<{ url: string, drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (!serverUrl) throw new Error('HARBOUR_TEST_DB=postgres needs TEST_DATABASE_URL, like postgres://postgres@127.0.0.1:5432/postgres')
  const name = `harbour_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    }
  }
}

export interface TestHarbour extends Harbour {
  config: Config
  /** A person with these roles in a new organisation of the given type, and a signed-in session cookie. */
  person(roles: Role[], options?: { organisationType?: string, demo?: boolean, stage?: 'complete' | 'second-factor' | 'enrol-second-factor' }): Promise<{ userId: string, organisationId: string, cookies: Record<string, string> }>
  /** A signed-in session cookie (and CSRF cookie) for an existing person, e.g. a demo account. */
  sessionAs(email: string): Promise<Record<string, string>>
  /** A valid CSRF cookie and the form token that goes with it. */
  csrf(): { cookie: string, token: string }
  stop(): Promise<void>
}

let organisationCounter = 0

export async function testHarbour(options: { listen?: boolean, env?: Record<string, string>, demo?: boolean } = {}): Promise<TestHarbour> {
  const database = onPostgres ? await freshPostgresDatabase() : undefined
  const config = loadConfig({
    HARBOUR_DATA_DIR: 'memory',
    PORT: '0',
    LOG_LEVEL: 'silent',
    HARBOUR_DEMO: options.demo ? 'true' : 'false',
    JOB_POLLING_SECONDS: '1',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env
  })
  const harbour = await startHarbour(config, { listen: options.listen ?? false })
  const db = harbour.services.db

  const csrf = () => {
    const cookie = randomBytes(24).toString('base64url')
    return { cookie, token: csrfTokenFor(config.sessionSecret, cookie) }
  }

  return {
    ...harbour,
    config,
    csrf,
    async person(roles, personOptions = {}) {
      organisationCounter++
      const type = personOptions.organisationType ?? 'local_authority'
      const organisation = await db.insertInto('organisation').values({
        reference: `T${organisationCounter}-${randomBytes(3).toString('hex')}`, name: `Test organisation ${organisationCounter}`, type,
        urn: type === 'education_setting' ? String(900000 + organisationCounter) : null
      }).returning('id').executeTakeFirstOrThrow()
      const user = await db.insertInto('app_user').values({
        email: `person${organisationCounter}.${randomBytes(3).toString('hex')}@test.harbour.invalid`, display_name: `Test person ${organisationCounter}`,
        organisation_id: organisation.id, password_hash: null, status: 'active', is_demo: personOptions.demo ?? false,
        team_id: null, totp_secret: null, totp_last_step: null
      }).returning('id').executeTakeFirstOrThrow()
      if (roles.length) await db.insertInto('user_role').values(roles.map((role) => ({ user_id: user.id, role }))).execute()
      const token = randomToken()
      await db.insertInto('web_session').values({ id_hash: sha256(token), user_id: user.id, stage: personOptions.stage ?? 'complete', last_seen_at: new Date(), ip: '127.0.0.1', enrolment_secret: null }).execute()
      const { cookie } = csrf()
      return { userId: user.id, organisationId: organisation.id, cookies: { [SESSION_COOKIE]: token, [CSRF_COOKIE]: cookie } }
    },
    async sessionAs(email) {
      const user = await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()
      const token = randomToken()
      await db.insertInto('web_session').values({ id_hash: sha256(token), user_id: user.id, stage: 'complete', last_seen_at: new Date(), ip: '127.0.0.1', enrolment_secret: null }).execute()
      return { [SESSION_COOKIE]: token, [CSRF_COOKIE]: csrf().cookie }
    },
    async stop() {
      await harbour.close()
      await database?.drop()
    }
  }
}

/** The form token that matches the CSRF cookie in a set of cookies. */
export function tokenFor(harbour: TestHarbour, cookies: Record<string, string>): string {
  return csrfTokenFor(harbour.config.sessionSecret, cookies[CSRF_COOKIE] ?? '')
}

/** Cookies a response set, as a name-to-value map, merged over earlier ones. */
export function cookiesFrom(response: { cookies: Array<{ name: string, value: string }> }, earlier: Record<string, string> = {}): Record<string, string> {
  const jar = { ...earlier }
  for (const cookie of response.cookies) {
    if (cookie.value === '') delete jar[cookie.name]
    else jar[cookie.name] = cookie.value
  }
  return jar
}

export interface CommandResult { status: number | null, stdout: string, stderr: string, output: string }

/**
 * The command line (bin/harbour) for a test's own database: the embedded one in `dataDir`, or the
 * PostgreSQL database at `databaseUrl`. Each call runs it as a child process, as a person would, and fails
 * the test if it could not run or was killed.
 */
export function commandLine(options: { dataDir: string, databaseUrl?: string | undefined, user: string, timeoutMs?: number }): (...args: string[]) => CommandResult {
  const env: NodeJS.ProcessEnv = { ...process.env, HARBOUR_DATA_DIR: options.dataDir, LOG_LEVEL: 'silent', USER: options.user }
  delete env.NODE_ENV
  delete env.DATABASE_URL
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl
  const root = fileURLToPath(new URL('../..', import.meta.url))
  return (...args) => {
    const result = spawnSync(process.execPath, ['bin/harbour', ...args], { cwd: root, env, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 })
    assert.equal(result.error, undefined, `bin/harbour ${args.join(' ')} could not run: ${result.error?.message}`)
    assert.equal(result.signal, null, `bin/harbour ${args.join(' ')} was killed by ${result.signal} (timed out?)\n${result.stdout}\n${result.stderr}`)
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `stdout:\n${result.stdout}\nstderr:\n${result.stderr}` }
  }
}

/** A synthetic incident as a police force's system sends it (an hour ago, one adult), with the children given. */
export function incidentBody(policeReference: string, children: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    policeReference, occurredAt: new Date(Date.now() - 3600_000).toISOString(), location: 'Home address (synthetic)', circumstances: 'Police attended (synthetic)',
    riskGrade: 'standard', adults: [{ label: 'A', firstName: 'Sam', lastName: 'Synthetic' }], children
  }
}

/** A pupil on a roll as an officer reports them: name, date of birth and address as the roll has them. */
export function reportedPupil(pupil: { first_name: string, last_name: string, date_of_birth: string | null, address: string, postcode: string }): Record<string, unknown> {
  return { firstName: pupil.first_name, lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true }
}
