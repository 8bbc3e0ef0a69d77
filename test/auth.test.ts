// Sign-in as people do it: invitation, password, second factor, sign-out, lock-out and idle timeout.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { testHarbour, tokenFor, cookiesFrom } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { totpCode } from '../src/platform/auth/totp.ts'
import { AuthService } from '../src/platform/auth/auth-service.ts'
import { SESSION_COOKIE } from '../src/platform/http/server.ts'

let harbour: TestHarbour
before(async () => { harbour = await testHarbour() })
after(() => harbour.stop())

const PASSWORD = 'correct horse battery staple'

async function post(url: string, cookies: Record<string, string>, form: Record<string, string>, remoteAddress?: string) {
  return await harbour.app.inject({ method: 'POST', url, cookies, payload: { ...form, _csrf: tokenFor(harbour, cookies) }, ...(remoteAddress ? { remoteAddress } : {}) })
}

/** Invites a person as a partnership administrator would, and returns the token from their email. */
async function invite(email: string, role: string): Promise<{ userId: string, token: string }> {
  const admin = await harbour.person(['partnership_admin'])
  const response = await post('/admin/users/invite', admin.cookies, { displayName: 'Synthetic Person', email, organisationId: admin.organisationId, roles: role })
  assert.equal(response.statusCode, 303, response.body)
  const userId = String(response.headers.location).match(/\/admin\/users\/([0-9a-f-]{36})/)?.[1] ?? ''
  const mail = await harbour.services.db.selectFrom('mail_message').selectAll().where('recipient', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow()
  const token = mail.body.match(/\/invitation\/([A-Za-z0-9_-]{43})/)?.[1]
  assert.ok(token, 'the invitation email carries a link with a token')
  return { userId, token }
}

async function signIn(email: string, password: string, remoteAddress?: string) {
  const { cookie } = harbour.csrf()
  const cookies = { harbour_csrf: cookie }
  const response = await post('/sign-in', cookies, { email, password }, remoteAddress)
  return { response, cookies: cookiesFrom(response, cookies) }
}

test('an invited person sets a password, enrols a second factor, signs in and out', async () => {
  const email = 'invited.auditor@test.harbour.invalid'
  const { token } = await invite(email, 'auditor')
  const csrf = { harbour_csrf: harbour.csrf().cookie }

  assert.equal((await harbour.app.inject({ method: 'GET', url: `/invitation/${token}` })).statusCode, 200)
  const short = await post(`/invitation/${token}`, csrf, { password: 'too short', confirmPassword: 'too short' })
  assert.equal(short.statusCode, 400)
  assert.match(short.body, /at least 12 characters/)
  const mismatch = await post(`/invitation/${token}`, csrf, { password: PASSWORD, confirmPassword: `${PASSWORD}!` })
  assert.match(mismatch.body, /The passwords do not match/)
  const set = await post(`/invitation/${token}`, csrf, { password: PASSWORD, confirmPassword: PASSWORD })
  assert.equal(set.statusCode, 200)
  assert.match(set.body, /Your password is set/)
  assert.equal((await harbour.app.inject({ method: 'GET', url: `/invitation/${token}` })).statusCode, 404, 'an invitation works once')

  const first = await signIn(email, PASSWORD)
  assert.equal(first.response.statusCode, 303)
  assert.equal(first.response.headers.location, '/sign-in/enrol', 'an auditor sees children\'s records, so must enrol a second factor')
  const sessionCookie = first.response.cookies.find((c) => c.name === SESSION_COOKIE)
  assert.ok(sessionCookie?.httpOnly, 'the session cookie is HttpOnly')
  assert.equal(sessionCookie?.sameSite, 'Lax')
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/audit', cookies: first.cookies })).headers.location, '/sign-in/enrol')

  const enrolPage = await harbour.app.inject({ method: 'GET', url: '/sign-in/enrol', cookies: first.cookies })
  const secret = enrolPage.body.match(/id="setup-key">([A-Z2-7 ]+)</)?.[1]?.replace(/ /g, '')
  assert.ok(secret, 'the enrol page shows a setup key')
  const wrong = await post('/sign-in/enrol', first.cookies, { code: '000000' === totpCode(secret) ? '111111' : '000000' })
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /That code is not right/)
  const enrolCode = totpCode(secret)
  const enrolled = await post('/sign-in/enrol', first.cookies, { code: enrolCode })
  assert.equal(enrolled.statusCode, 303)
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/audit', cookies: first.cookies })).statusCode, 200)

  const out = await post('/sign-out', first.cookies, {})
  assert.equal(out.headers.location, '/signed-out')
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/', cookies: first.cookies })).headers.location, '/sign-in', 'the old session no longer works')

  const second = await signIn(email, PASSWORD)
  assert.equal(second.response.headers.location, '/sign-in/second-factor')
  const replay = await post('/sign-in/second-factor', second.cookies, { code: enrolCode })
  assert.equal(replay.statusCode, 400, 'a code already used cannot be used again')
  const next = await post('/sign-in/second-factor', second.cookies, { code: totpCode(secret, Date.now() + 30_000) })
  assert.equal(next.statusCode, 303)
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/audit', cookies: second.cookies })).statusCode, 200)

  const actions = (await harbour.services.db.selectFrom('audit_event').select(['action', 'outcome']).where('actor_label', '=', email).orderBy('id').execute())
    .map((row) => `${row.action}:${row.outcome}`)
  assert.deepEqual(actions, [
    'invitation-accept:success', 'sign-in:success', 'second-factor-enrol:failure', 'second-factor-enrol:success',
    'sign-out:success', 'sign-in:success', 'second-factor:failure', 'second-factor:success'
  ])
})

test('a person whose roles do not see children signs in with a password alone', async () => {
  const email = 'invited.lead@test.harbour.invalid'
  const { token } = await invite(email, 'partnership_lead')
  await post(`/invitation/${token}`, { harbour_csrf: harbour.csrf().cookie }, { password: PASSWORD, confirmPassword: PASSWORD }).then((r) => assert.equal(r.statusCode, 200))
  const { response, cookies } = await signIn(email, PASSWORD)
  assert.equal(response.headers.location, '/')
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/', cookies })).statusCode, 200)
})

test('sign-in names each missing field', async () => {
  const { response } = await signIn('', '')
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /Enter your email address/)
  assert.match(response.body, /Enter your password/)
  assert.match(response.body, /href="#email"/)
})

test('repeated failures lock the account for a while, even against the right password', async () => {
  const email = 'lockout@test.harbour.invalid'
  const { token } = await invite(email, 'partnership_lead')
  await post(`/invitation/${token}`, { harbour_csrf: harbour.csrf().cookie }, { password: PASSWORD, confirmPassword: PASSWORD })
  for (let attempt = 1; attempt <= 4; attempt++) {
    assert.equal((await signIn(email, `wrong password ${attempt}`)).response.statusCode, 401)
  }
  const fifth = await signIn(email, 'wrong password 5')
  assert.equal(fifth.response.statusCode, 429)
  assert.match(fifth.response.body, /Too many attempts to sign in/)
  assert.equal((await signIn(email, PASSWORD)).response.statusCode, 429, 'locked even with the right password')
  const failures = await harbour.services.db.selectFrom('audit_event').select('details').where('actor_label', '=', email).where('action', '=', 'sign-in').where('outcome', '=', 'failure').execute()
  assert.equal(failures.length, 6)
  assert.match(String(failures[4]?.details.reason), /locked for 15 minutes/)

  await harbour.services.db.updateTable('app_user').set({ locked_until: new Date(Date.now() - 1000) }).where('email', '=', email).execute()
  assert.equal((await signIn(email, PASSWORD)).response.statusCode, 303, 'after the lock expires the right password works')
})

test('guesses sent all at once still lock the account', async () => {
  const email = 'parallel@test.harbour.invalid'
  const { token } = await invite(email, 'partnership_lead')
  await post(`/invitation/${token}`, { harbour_csrf: harbour.csrf().cookie }, { password: PASSWORD, confirmPassword: PASSWORD })
  // from another address, so the per-address rate limit is not what stops them
  await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(email, `parallel wrong ${i}`, '10.20.30.40')))
  const after = await signIn(email, PASSWORD, '10.20.30.41')
  assert.equal(after.response.statusCode, 429, 'locked after the guesses, whatever their order')
  assert.match(after.response.body, /Too many attempts to sign in/)
})

test('an unknown email and a wrong password get the same answer', async () => {
  const unknown = await signIn('nobody@test.harbour.invalid', PASSWORD)
  const admin = await signIn('invited.lead@test.harbour.invalid', 'not the password')
  assert.equal(unknown.response.statusCode, admin.response.statusCode)
  assert.match(unknown.response.body, /Enter the email address and password for your Harbour account/)
  assert.match(admin.response.body, /Enter the email address and password for your Harbour account/)
})

test('a session idle for longer than the timeout has ended', async () => {
  const { cookies, userId } = await harbour.person(['partnership_lead'])
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/', cookies })).statusCode, 200)
  const idle = harbour.config.sessionIdleMinutes
  await harbour.services.db.updateTable('web_session').set({ last_seen_at: new Date(Date.now() - (idle * 60 - 30) * 1000) }).where('user_id', '=', userId).execute()
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/', cookies })).statusCode, 200, 'just inside the timeout the session is alive (and touched)')
  await harbour.services.db.updateTable('web_session').set({ last_seen_at: new Date(Date.now() - (idle * 60 + 30) * 1000) }).where('user_id', '=', userId).execute()
  const after = await harbour.app.inject({ method: 'GET', url: '/', cookies })
  assert.equal(after.headers.location, '/sign-in')
  const left = await harbour.services.db.selectFrom('web_session').select('id_hash').where('user_id', '=', userId).execute()
  assert.equal(left.length, 0, 'the expired session is removed')
})

test('demo accounts skip the second factor only outside production', async () => {
  const { userId } = await harbour.person(['auditor'], { demo: true })
  const email = (await harbour.services.db.selectFrom('app_user').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email
  const { hashPassword } = await import('../src/platform/auth/passwords.ts')
  await harbour.services.db.updateTable('app_user').set({ password_hash: await hashPassword(PASSWORD) }).where('id', '=', userId).execute()
  const origin = { ip: '127.0.0.1', requestId: 'test' }

  const development = await harbour.services.auth.signIn(email, PASSWORD, origin)
  assert.ok(development.ok)
  assert.equal(development.stage, 'complete')
  const session = await harbour.services.auth.session(development.token)
  assert.equal(session?.secondFactorSkipped, true, 'the skip is recorded so the page can say so')

  const production = new AuthService({ ...harbour.config, production: true }, harbour.services.db)
  const result = await production.signIn(email, PASSWORD, origin)
  assert.ok(result.ok)
  assert.equal(result.stage, 'enrol-second-factor')
})
