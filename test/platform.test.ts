// Health, security headers, not-found handling and the API's answers to strangers.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { freshPostgresDatabase, onPostgres, testHarbour } from './support/harbour.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { GOVUK_DIST } from '../src/platform/http/views.ts'
import type { TestHarbour } from './support/harbour.ts'

let harbour: TestHarbour
before(async () => { harbour = await testHarbour() })
after(() => harbour.stop())

test('/ping and /health answer, and /health checks the database and the job runner', async () => {
  assert.deepEqual((await harbour.app.inject({ method: 'GET', url: '/ping' })).json(), { status: 'ok' })
  const health = await harbour.app.inject({ method: 'GET', url: '/health' })
  assert.equal(health.statusCode, 200)
  assert.deepEqual(health.json(), { status: 'ok', database: 'ok', jobs: 'ok' })
})

test('pages carry security headers and a fresh CSP nonce that their scripts use', async () => {
  const first = await harbour.app.inject({ method: 'GET', url: '/sign-in' })
  const second = await harbour.app.inject({ method: 'GET', url: '/sign-in' })
  const csp = String(first.headers['content-security-policy'])
  const nonce = csp.match(/'nonce-([^']+)'/)?.[1]
  assert.ok(nonce)
  assert.notEqual(nonce, String(second.headers['content-security-policy']).match(/'nonce-([^']+)'/)?.[1])
  assert.match(csp, /default-src 'self'/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.ok(!csp.includes('unsafe-inline'))
  const scripts = [...first.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '')
  assert.ok(scripts.length >= 2)
  for (const attributes of scripts) assert.ok(attributes.includes(`nonce="${nonce}"`), `every script carries the nonce: <script${attributes}>`)
  assert.equal(first.headers['x-content-type-options'], 'nosniff')
  assert.equal(first.headers['x-frame-options'], 'DENY')
  assert.equal(first.headers['referrer-policy'], 'no-referrer')
  assert.equal(first.headers['cache-control'], 'no-store')
  assert.ok(first.headers['x-request-id'])
})

test('GOV.UK Frontend assets are served, and nothing outside them', async () => {
  const css = await harbour.app.inject({ method: 'GET', url: '/assets/govuk-frontend.min.css' })
  assert.equal(css.statusCode, 200)
  assert.match(String(css.headers['content-type']), /text\/css/)
  const font = readdirSync(path.join(GOVUK_DIST, 'govuk/assets/fonts'))[0]
  assert.equal((await harbour.app.inject({ method: 'GET', url: `/assets/fonts/${font}` })).statusCode, 200)
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/assets/govuk/all.mjs' })).statusCode, 404, 'only the files the pages need')
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/assets/../package.json' })).statusCode, 404)
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/assets/%2e%2e/%2e%2e/package.json' })).statusCode, 404)
})

test('not-found answers plainly and is rate limited', async () => {
  const page = await harbour.app.inject({ method: 'GET', url: '/no-such-page', remoteAddress: '10.1.1.1' })
  assert.equal(page.statusCode, 404)
  assert.match(page.body, /Page not found/)
  const api = await harbour.app.inject({ method: 'GET', url: '/api/v1/nothing', remoteAddress: '10.1.1.2' })
  assert.equal(api.statusCode, 404)
  assert.equal(api.json().error, 'not-found')
  let status = 0
  for (let i = 0; i < 70 && status !== 429; i++) {
    status = (await harbour.app.inject({ method: 'GET', url: `/probe-${i}`, remoteAddress: '10.1.1.3' })).statusCode
  }
  assert.equal(status, 429, 'a scan of missing pages is slowed down')
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/probe-x', remoteAddress: '10.1.1.4' })).statusCode, 404, 'other addresses are unaffected')
})

test('the API answers 401 without a valid key, and the attempt is audited', async () => {
  const none = await harbour.app.inject({ method: 'GET', url: '/api/v1/whoami' })
  assert.equal(none.statusCode, 401)
  assert.equal(none.headers['www-authenticate'], 'Bearer')
  const bad = await harbour.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: 'Bearer hbr_000000000000_' + 'x'.repeat(43) } })
  assert.equal(bad.statusCode, 401)
  const rows = await harbour.services.db.selectFrom('audit_event').select('details').where('action', '=', 'api-authentication').execute()
  assert.deepEqual(rows.map((r) => r.details.reason).sort(), ['no key', 'unknown or revoked key'])
})

test('a session cookie cannot be used on the API', async () => {
  const { cookies } = await harbour.person(['partnership_admin'])
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/api/v1/whoami', cookies })).statusCode, 401)
})

test('an upload from someone not allowed to make it is refused before the file is read', async () => {
  const boundary = 'harbourboundary'
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="roll.csv"\r\nContent-Type: text/csv\r\n\r\n${'x'.repeat(10_000)}\r\n--${boundary}--\r\n`
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` }
  const anonymous = await harbour.app.inject({ method: 'POST', url: '/rolls', headers, payload: body })
  assert.equal(anonymous.statusCode, 401)
  const { cookies } = await harbour.person(['partnership_lead'])
  const denied = await harbour.app.inject({ method: 'POST', url: '/rolls', headers, payload: body, cookies })
  assert.equal(denied.statusCode, 403)
  assert.match(denied.body, /You do not have access to this page/)
})

test('two processes migrating one new database at once both succeed, and each migration is applied once', { skip: !onPostgres && 'only PostgreSQL has more than one connection' }, async () => {
  const fresh = await freshPostgresDatabase()
  const [a, b] = await Promise.all([openDatabase({ databaseUrl: fresh.url, dataDir: 'memory' }), openDatabase({ databaseUrl: fresh.url, dataDir: 'memory' })])
  try {
    const [first, second] = await Promise.all([migrate(a.db), migrate(b.db)])
    assert.equal(first.length + second.length, readdirSync(new URL('../src/platform/db/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).length)
    assert.ok(first.length === 0 || second.length === 0, 'one applied them all, the other found nothing to do')
  } finally {
    await a.close()
    await b.close()
    await fresh.drop()
  }
})
