// Administrators invite people, reset access and issue API keys, each within their own scope.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiKeyService } from '../src/organisations/api-keys.ts'

let harbour: TestHarbour
before(async () => { harbour = await testHarbour() })
after(() => harbour.stop())

async function post(url: string, cookies: Record<string, string>, form: Record<string, string | string[]>) {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...form, _csrf: tokenFor(harbour, cookies) })) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(key, item)
  }
  return await harbour.app.inject({ method: 'POST', url, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() })
}

test('an empty invitation names every field that needs an answer, and stores nothing', async () => {
  const admin = await harbour.person(['partnership_admin'])
  const before = await harbour.services.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const response = await post('/admin/users/invite', admin.cookies, {})
  assert.equal(response.statusCode, 400)
  for (const [field, message] of [['displayName', 'Enter the person’s full name'], ['email', 'Enter the person’s work email address'], ['organisationId', 'Select the person’s organisation'], ['roles', 'Select at least one role']] as Array<[string, string]>) {
    assert.ok(response.body.includes(`href="#${field}"`), `the error summary links to ${field}`)
    assert.ok(response.body.includes(message), `says "${message}"`)
  }
  const afterCount = await harbour.services.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  assert.equal(Number(afterCount.n), Number(before.n))
})

test('an organisation administrator stays inside their own organisation', async () => {
  const school = await harbour.person(['organisation_admin'], { organisationType: 'education_setting' })
  const other = await harbour.person(['designated_safeguarding_lead'], { organisationType: 'education_setting' })

  const list = await harbour.app.inject({ method: 'GET', url: '/admin/users', cookies: school.cookies })
  assert.equal(list.statusCode, 200)
  assert.match(list.body, /1 person/)
  assert.equal((await harbour.app.inject({ method: 'GET', url: `/admin/users/${other.userId}`, cookies: school.cookies })).statusCode, 404)
  assert.equal((await post(`/admin/users/${other.userId}/reset-access`, school.cookies, {})).statusCode, 404)

  const elsewhere = await post('/admin/users/invite', school.cookies, { displayName: 'A Person', email: 'a.person@test.harbour.invalid', organisationId: other.organisationId, roles: 'designated_safeguarding_lead' })
  assert.equal(elsewhere.statusCode, 400)
  assert.match(elsewhere.body, /Select an organisation you administer/)
  const tooMuch = await post('/admin/users/invite', school.cookies, { displayName: 'A Person', email: 'a.person@test.harbour.invalid', organisationId: school.organisationId, roles: ['designated_safeguarding_lead', 'auditor'] })
  assert.equal(tooMuch.statusCode, 400)
  assert.match(tooMuch.body, /Select only roles you are allowed to give/)
  const fine = await post('/admin/users/invite', school.cookies, { displayName: 'A Person', email: 'a.person@test.harbour.invalid', organisationId: school.organisationId, roles: 'designated_safeguarding_lead' })
  assert.equal(fine.statusCode, 303)
  const misfit = await post('/admin/users/invite', school.cookies, { displayName: 'A Person', email: 'b.person@test.harbour.invalid', organisationId: school.organisationId, roles: 'police_officer' })
  assert.equal(misfit.statusCode, 400)
  assert.match(misfit.body, /Police staff is not a role for someone at Test organisation \d+ \(education setting\)/)

  // a colleague at the school who holds a partnership-wide role is beyond the school administrator's remit
  const colleague = await harbour.services.db.insertInto('app_user').values({ email: 'colleague@test.harbour.invalid', display_name: 'Colleague', organisation_id: school.organisationId, password_hash: null, status: 'active', team_id: null, totp_secret: null, totp_last_step: null }).returning('id').executeTakeFirstOrThrow()
  await harbour.services.db.insertInto('user_role').values({ user_id: colleague.id, role: 'auditor' }).execute()
  const reset = await post(`/admin/users/${colleague.id}/reset-access`, school.cookies, {})
  assert.equal(reset.statusCode, 403)
  assert.match(reset.body, /You cannot change this person/)
  assert.equal((await post(`/admin/users/${colleague.id}/disable`, school.cookies, {})).statusCode, 403)

  const again = await post('/admin/users/invite', school.cookies, { displayName: 'A Person', email: 'A.Person@test.harbour.invalid', organisationId: school.organisationId, roles: 'designated_safeguarding_lead' })
  assert.match(again.body, /already has a Harbour account/)
})

test('resetting access ends sessions, clears the password and second factor, and sends a new invitation', async () => {
  const admin = await harbour.person(['partnership_admin'])
  const person = await harbour.person(['social_worker'])
  await harbour.services.db.updateTable('app_user').set({ password_hash: 'scrypt$x', totp_secret: 'ABCDEFGH', totp_enrolled_at: new Date(), locked_until: new Date(Date.now() + 60_000) }).where('id', '=', person.userId).execute()
  const response = await post(`/admin/users/${person.userId}/reset-access`, admin.cookies, {})
  assert.equal(response.statusCode, 303)
  const row = await harbour.services.db.selectFrom('app_user').selectAll().where('id', '=', person.userId).executeTakeFirstOrThrow()
  assert.equal(row.password_hash, null)
  assert.equal(row.totp_secret, null)
  assert.equal(row.locked_until, null)
  assert.equal(row.status, 'invited')
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/', cookies: person.cookies })).headers.location, '/sign-in')
  const mail = await harbour.services.db.selectFrom('mail_message').selectAll().where('recipient', '=', row.email).executeTakeFirstOrThrow()
  assert.match(mail.subject, /reset/)
  assert.match(mail.body, /\/invitation\/[A-Za-z0-9_-]{43}/)
  const audit = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'user-reset-access').where('record_id', '=', person.userId).executeTakeFirstOrThrow()
  assert.equal(audit.actor_user_id, admin.userId)
})

test('a key revoked by another Harbour process stops working here once this process\'s check of it expires', async () => {
  const police = await harbour.services.db.insertInto('organisation').values({ reference: 'ADMIN-TEST-POLICE-2', name: 'Test Police 2', type: 'police_force', urn: null }).returning('id').executeTakeFirstOrThrow()
  const here = new ApiKeyService(harbour.services.db, { checkedForMs: 300 })
  const elsewhere = new ApiKeyService(harbour.services.db)
  const { id, key } = await elsewhere.create(police.id, 'Records system', { label: 'test' })
  assert.equal((await here.authenticate(key))?.keyId, id)
  assert.equal(await elsewhere.revoke(id, { label: 'test' }), true)
  assert.equal(await elsewhere.authenticate(key), undefined, 'refused at once by the process that revoked it')
  await sleep(350)
  assert.equal(await here.authenticate(key), undefined, 'refused by the other process once its check has expired')
})

test('an API key is shown once, stored as a hash, records its last use and stops working when revoked', async () => {
  const admin = await harbour.person(['partnership_admin'])
  const police = await harbour.services.db.insertInto('organisation').values({ reference: 'ADMIN-TEST-POLICE', name: 'Test Police', type: 'police_force', urn: null }).returning('id').executeTakeFirstOrThrow()
  const missing = await post('/admin/api-keys', admin.cookies, { organisationId: '', name: '' })
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /Select the organisation the key is for/)
  assert.match(missing.body, /Enter a name for the key/)

  const created = await post('/admin/api-keys', admin.cookies, { organisationId: police.id, name: 'Records system' })
  assert.equal(created.statusCode, 200)
  const key = created.body.match(/id="api-key">(hbr_[^<]+)</)?.[1]
  assert.ok(key, 'the new key is on the page')
  const stored = await harbour.services.db.selectFrom('api_key').selectAll().where('organisation_id', '=', police.id).executeTakeFirstOrThrow()
  assert.notEqual(stored.key_hash, key)
  assert.ok(!JSON.stringify(stored).includes(key.slice(18)), 'the secret part is stored nowhere')
  const listPage = await harbour.app.inject({ method: 'GET', url: '/admin/api-keys', cookies: admin.cookies })
  assert.ok(!listPage.body.includes(key), 'the list never shows the key again')
  assert.equal(stored.last_used_at, null)

  const whoami = await harbour.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: `Bearer ${key}` } })
  assert.equal(whoami.statusCode, 200)
  assert.deepEqual(whoami.json().organisation, { reference: 'ADMIN-TEST-POLICE', name: 'Test Police', type: 'police_force' })
  const used = await harbour.services.db.selectFrom('api_key').select('last_used_at').where('id', '=', stored.id).executeTakeFirstOrThrow()
  assert.ok(used.last_used_at instanceof Date)

  const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: `Bearer ${tampered}` } })).statusCode, 401)

  const schoolAdmin = await harbour.person(['organisation_admin'], { organisationType: 'education_setting' })
  assert.equal((await post(`/admin/api-keys/${stored.id}/revoke`, schoolAdmin.cookies, {})).statusCode, 404, 'not another organisation\'s key')
  assert.equal((await post(`/admin/api-keys/${stored.id}/revoke`, admin.cookies, {})).statusCode, 303)
  const revoked = await harbour.app.inject({ method: 'GET', url: '/api/v1/whoami', headers: { authorization: `Bearer ${key}` } })
  assert.equal(revoked.statusCode, 401)
  const actions = (await harbour.services.db.selectFrom('audit_event').select('action').where('record_id', '=', stored.id).orderBy('id').execute()).map((r) => r.action)
  assert.deepEqual(actions, ['api-key-create', 'api-key-revoke'])
})
