// The access matrix: every route, walked with every role (and with no one, and with API keys),
// against a table written out by hand. A new route that is not in the table fails this test, and a
// route that lets the wrong role in fails it too.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { ROLE_NAMES } from '../src/platform/access/roles.ts'
import type { Role } from '../src/platform/access/roles.ts'
import { buildServer } from '../src/platform/http/server.ts'

/** 'api': any organisation's key; 'police-api': a police force's key only; 'school-api': an education setting's key only */
type Expected = 'public' | 'second-factor' | 'signed-in' | 'api' | 'police-api' | 'school-api' | Role[]
const SAFEGUARDING_INBOX: Role[] = ['designated_safeguarding_lead', 'encompass_officer']
const SETTING_MANAGERS: Role[] = ['encompass_officer', 'organisation_admin']
const ADMINS: Role[] = ['partnership_admin', 'organisation_admin']
const MARAC_REFERRERS: Role[] = ['police_officer', 'marac_coordinator', 'idva', 'social_worker', 'marac_representative']
const MARAC_ATTENDEES: Role[] = ['idva', 'marac_representative', 'marac_observer']

const EXPECTED: Record<string, Expected> = {
  'GET /ping': 'public',
  'GET /health': 'public',
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'GET /sign-in/second-factor': 'second-factor',
  'GET /sign-in/enrol': 'second-factor',
  'POST /sign-in/second-factor': 'second-factor',
  'POST /sign-in/enrol': 'second-factor',
  'POST /sign-out': 'public',
  'GET /signed-out': 'public',
  'GET /invitation/:token': 'public',
  'POST /invitation/:token': 'public',
  'GET /': 'signed-in',
  'GET /admin/users': ADMINS,
  'GET /admin/users/invite': ADMINS,
  'POST /admin/users/invite': ADMINS,
  'GET /admin/users/:id': ADMINS,
  'POST /admin/users/:id/reset-access': ADMINS,
  'POST /admin/users/:id/disable': ADMINS,
  'GET /admin/api-keys': ADMINS,
  'POST /admin/api-keys': ADMINS,
  'POST /admin/api-keys/:id/revoke': ADMINS,
  'GET /audit': ['auditor'],
  'GET /review': ['encompass_officer'],
  'GET /review/:id': ['encompass_officer'],
  'POST /review/:id': ['encompass_officer'],
  'GET /rolls': ['encompass_officer'],
  'POST /rolls': ['encompass_officer'],
  'GET /dev/outbox': ['partnership_admin'],
  'GET /support': 'public',
  'GET /support/services': 'public',
  'GET /support/services/:slug': 'public',
  'GET /support/staying-safe-online': 'public',
  'GET /support/*': 'public',
  'GET /directory': 'signed-in',
  'GET /provision-gaps': ['partnership_lead'],
  'GET /admin/directory': ['directory_editor'],
  'GET /admin/directory/new': ['directory_editor'],
  'POST /admin/directory/new': ['directory_editor'],
  'GET /admin/directory/:id': ['directory_editor'],
  'POST /admin/directory/:id': ['directory_editor'],
  'POST /admin/directory/:id/checked': ['directory_editor'],
  'GET /api/v1/whoami': 'api',
  'POST /api/v1/incidents': 'police-api',
  // risk assessments: the journey needs risk-assessment:create; the list and a completed one need risk-assessment:view
  'GET /risk-assessments': ['police_officer', 'idva', 'social_worker', 'marac_coordinator'],
  'GET /risk-assessments/new': ['police_officer', 'idva', 'social_worker'],
  'POST /risk-assessments/new': ['police_officer', 'idva', 'social_worker'],
  'GET /risk-assessments/:id': ['police_officer', 'idva', 'social_worker', 'marac_coordinator'],
  'GET /risk-assessments/:id/details': ['police_officer', 'idva', 'social_worker'],
  'POST /risk-assessments/:id/details': ['police_officer', 'idva', 'social_worker'],
  'GET /risk-assessments/:id/questions/:page': ['police_officer', 'idva', 'social_worker'],
  'POST /risk-assessments/:id/questions/:page': ['police_officer', 'idva', 'social_worker'],
  'GET /risk-assessments/:id/grade': ['police_officer', 'idva', 'social_worker'],
  'POST /risk-assessments/:id/grade': ['police_officer', 'idva', 'social_worker'],
  'GET /risk-assessments/:id/children': ['police_officer', 'idva', 'social_worker'],
  'POST /risk-assessments/:id/children': ['police_officer', 'idva', 'social_worker'],
  'GET /risk-assessments/:id/judgement': ['police_officer', 'idva', 'social_worker'],
  'POST /risk-assessments/:id/judgement': ['police_officer', 'idva', 'social_worker'],
  'GET /risk-assessments/:id/check': ['police_officer', 'idva', 'social_worker'],
  'POST /risk-assessments/:id/check': ['police_officer', 'idva', 'social_worker'],
  'GET /risk-assessments/:id/confirmation': ['police_officer', 'idva', 'social_worker'],
  // police staff's incident pages; the lists need child-record:view, and each force sees only its own incidents
  'GET /incidents': ['police_officer'],
  'GET /incidents/:id': ['police_officer'],
  'GET /incidents/new': ['police_officer'],
  'POST /incidents/new': ['police_officer'],
  'GET /incidents/upload': ['police_officer'],
  'POST /incidents/upload': ['police_officer'],
  'GET /incidents/upload/example-incidents.csv': ['police_officer'],
  'GET /notifications': SAFEGUARDING_INBOX,
  'GET /notifications/:id': SAFEGUARDING_INBOX,
  'POST /notifications/:id/acknowledgement': SAFEGUARDING_INBOX,
  'POST /notifications/:id/response': SAFEGUARDING_INBOX,
  'GET /api/v1/notifications': 'school-api',
  'POST /api/v1/notifications/:id/acknowledgement': 'school-api',
  'POST /api/v1/notifications/:id/response': 'school-api',
  'GET /encompass/settings': SETTING_MANAGERS,
  'GET /encompass/settings/:urn': SETTING_MANAGERS,
  'POST /encompass/settings/:urn': SETTING_MANAGERS,
  // the council's Operation Encompass view and its CSV exports
  'GET /encompass': ['encompass_officer'],
  'GET /encompass/export/:list.csv': ['encompass_officer'],
  // MARAC: any referring agency's key may refer (police yes, a school no: 'police-api' checks exactly that)
  'POST /api/v1/marac/referrals': 'police-api',
  'GET /marac/referrals/new': MARAC_REFERRERS,
  'POST /marac/referrals/new': MARAC_REFERRERS,
  'GET /marac/referrals/:id': MARAC_REFERRERS,
  'POST /marac/referrals/:id/move': ['marac_coordinator'],
  'POST /marac/referrals/:id/idva-contact': ['marac_coordinator'],
  'POST /marac/referrals/:id/transfer': ['marac_coordinator'],
  'GET /marac/queue': ['marac_coordinator'],
  'POST /marac/queue/allocate': ['marac_coordinator'],
  'GET /marac/returns': ['marac_coordinator', 'partnership_lead'],
  'GET /marac/returns/return.csv': ['marac_coordinator', 'partnership_lead'],
  // MARAC meetings: attendees see (observers only their own), representatives and IDVAs record; the coordinator runs them
  'GET /marac/meetings': MARAC_ATTENDEES,
  'GET /marac/meetings/:id': MARAC_ATTENDEES,
  'POST /marac/meetings/:id/confidentiality': MARAC_ATTENDEES,
  'POST /marac/meetings/:id/research': ['idva', 'marac_representative'],
  'GET /marac/coordinator/meetings': ['marac_coordinator'],
  'GET /marac/coordinator/meetings/:id': ['marac_coordinator'],
  'POST /marac/coordinator/meetings/:id/attendees': ['marac_coordinator'],
  'POST /marac/coordinator/meetings/:id/actions': ['marac_coordinator'],
  'POST /marac/coordinator/meetings/:id/actions/close': ['marac_coordinator'],
  'POST /marac/coordinator/meetings/:id/idva-contact': ['marac_coordinator'],
  'POST /marac/coordinator/meetings/:id/minutes': ['marac_coordinator'],
  'GET /marac/coordinator/meetings/:id/minutes': ['marac_coordinator'],
  'GET /assets/*': 'public'
}

let harbour: TestHarbour
const sessions = new Map<Role, Record<string, string>>()
let policeKey = ''
let schoolKey = ''

before(async () => {
  harbour = await testHarbour()
  for (const role of ROLE_NAMES) sessions.set(role, (await harbour.person([role])).cookies)
  const police = await harbour.services.db.insertInto('organisation').values({ reference: 'MATRIX-POLICE', name: 'Matrix Police', type: 'police_force', urn: null }).returning('id').executeTakeFirstOrThrow()
  const school = await harbour.services.db.insertInto('organisation').values({ reference: 'MATRIX-SCHOOL', name: 'Matrix School', type: 'education_setting', urn: '955555' }).returning('id').executeTakeFirstOrThrow()
  policeKey = (await harbour.services.apiKeys.create(police.id, 'matrix', { label: 'test' })).key
  schoolKey = (await harbour.services.apiKeys.create(school.id, 'matrix', { label: 'test' })).key
})
after(() => harbour.stop())

function concreteUrl(url: string): string {
  return url.replace(':id', randomUUID()).replace(':token', 'a'.repeat(43)).replace(':slug', 'no-such-service').replace(':urn', '999999').replace('*', 'govuk-frontend.min.css')
}

async function call(method: string, url: string, principal: { cookies?: Record<string, string>, key?: string }) {
  const cookies = principal.cookies ?? { harbour_csrf: harbour.csrf().cookie }
  const headers: Record<string, string> = {}
  if (principal.key) headers.authorization = `Bearer ${principal.key}`
  return await harbour.app.inject({
    method: method as 'GET' | 'POST',
    url: concreteUrl(url),
    cookies,
    headers,
    ...(method === 'POST' ? { payload: { _csrf: tokenFor(harbour, cookies) } } : {})
  })
}

const denied = (response: { statusCode: number, headers: Record<string, unknown> }) =>
  response.statusCode === 401 || response.statusCode === 403 || (response.statusCode === 303 && response.headers.location === '/sign-in')

test('every route the server has is in the access matrix, and every matrix row is a route', () => {
  const actual = harbour.routes.map((route) => `${route.method} ${route.url}`).sort()
  const missing = actual.filter((route) => !(route in EXPECTED))
  assert.deepEqual(missing, [], `Routes with no row in the access matrix (add them to EXPECTED with who may use them): ${missing.join(', ')}`)
  assert.deepEqual(Object.keys(EXPECTED).sort(), actual)
})

for (const [route, expected] of Object.entries(EXPECTED)) {
  const [method, url] = route.split(' ') as [string, string]
  test(`access matrix: ${route}`, async () => {
    const anonymous = await call(method, url, {})
    const police = await call(method, url, { key: policeKey })
    const school = await call(method, url, { key: schoolKey })
    if (expected === 'public') {
      assert.ok(!denied(anonymous), `anonymous should reach ${route}, got ${anonymous.statusCode}`)
    } else {
      assert.ok(denied(anonymous), `anonymous must be denied ${route}, got ${anonymous.statusCode}`)
    }
    if (expected === 'api') {
      assert.equal(police.statusCode, 200, `a police API key should reach ${route}`)
      assert.equal(school.statusCode, 200, `a school API key should reach ${route}`)
    } else if (expected === 'police-api') {
      assert.ok(!denied(police), `a police API key should reach ${route}, got ${police.statusCode}`)
      assert.equal(school.statusCode, 403, `a school API key must not reach ${route}`)
    } else if (expected === 'school-api') {
      assert.ok(!denied(school), `a school API key should reach ${route}, got ${school.statusCode}`)
      assert.equal(police.statusCode, 403, `a police API key must not reach ${route}`)
    } else if (expected !== 'public') {
      assert.ok(denied(police), `an API key must not reach the page ${route}, got ${police.statusCode}`)
    }
    for (const role of ROLE_NAMES) {
      // signing out ends the session, so that row gets people of its own
      const cookies = route === 'POST /sign-out' ? (await harbour.person([role])).cookies : sessions.get(role)
      const response = await call(method, url, { cookies })
      if (expected === 'police-api' || expected === 'school-api') {
        assert.ok(denied(response), `${role} must not reach the API route ${route} with a session, got ${response.statusCode}`)
        continue
      }
      const allowed = expected === 'public' || expected === 'signed-in' || expected === 'second-factor' || (Array.isArray(expected) && expected.includes(role))
      if (allowed) assert.ok(!denied(response), `${role} should reach ${route}, got ${response.statusCode}`)
      else assert.ok(denied(response), `${role} must be denied ${route}, got ${response.statusCode}`)
    }
  })
}

test('a person who has not finished the second factor reaches only the second-factor pages', async () => {
  const { cookies } = await harbour.person(['auditor'], { stage: 'second-factor' })
  const audit = await harbour.app.inject({ method: 'GET', url: '/audit', cookies })
  assert.equal(audit.statusCode, 303)
  assert.equal(audit.headers.location, '/sign-in/second-factor')
  const home = await harbour.app.inject({ method: 'GET', url: '/', cookies })
  assert.equal(home.headers.location, '/sign-in/second-factor')
  const page = await harbour.app.inject({ method: 'GET', url: '/sign-in/second-factor', cookies })
  assert.equal(page.statusCode, 200)
})

test('a denial is written to the audit trail with who, what and where', async () => {
  const { userId, cookies } = await harbour.person(['partnership_lead'])
  const response = await harbour.app.inject({ method: 'GET', url: '/audit', cookies, remoteAddress: '10.9.8.7' })
  assert.equal(response.statusCode, 403)
  const row = await harbour.services.db.selectFrom('audit_event').selectAll()
    .where('action', '=', 'access-denied').where('actor_user_id', '=', userId).executeTakeFirstOrThrow()
  assert.equal(row.outcome, 'denied')
  assert.equal(row.ip, '10.9.8.7')
  assert.equal(row.request_id, response.headers['x-request-id'])
  assert.deepEqual(row.details, { method: 'GET', path: '/audit', reason: 'role does not grant this permission', permission: 'audit-trail:search' })
})

test('a route that declares no access rule stops the server from starting', async () => {
  await assert.rejects(
    buildServer(harbour.services, [(app) => { app.get('/forgotten', async () => 'oops') }]),
    /Route GET \/forgotten declares no access rule/
  )
})

test('a state-changing request without the form token is refused, even for an allowed role', async () => {
  const { cookies } = await harbour.person(['partnership_admin'])
  const response = await harbour.app.inject({ method: 'POST', url: '/admin/api-keys', cookies, payload: { name: 'x', _csrf: 'forged' } })
  assert.equal(response.statusCode, 403)
  assert.match(response.body, /Your form could not be sent/)
  const keys = await harbour.services.db.selectFrom('api_key').select('name').where('name', '=', 'x').execute()
  assert.equal(keys.length, 0)
})
