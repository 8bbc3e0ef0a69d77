// Incidents in through the API: checked, each child routed with its deadline, idempotent, amended.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { testHarbour } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { nextSchoolDayFor } from '../src/organisations/calendars.ts'
import { lonePupil } from '../src/encompass/demo.ts'
import { verifyAuditChain } from '../src/platform/audit/audit.ts'

let harbour: TestHarbour
let policeKey = ''
let schoolKey = ''
let pupil: { first_name: string, last_name: string, date_of_birth: string | null, address: string, postcode: string, urn: string, id: string }

before(async () => {
  harbour = await testHarbour({ demo: true })
  const db = harbour.services.db
  const police = await db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
  const school = await db.selectFrom('organisation').select('id').where('reference', '=', 'URN-990001').executeTakeFirstOrThrow()
  policeKey = (await harbour.services.apiKeys.create(police.id, 'records system', { label: 'test' })).key
  schoolKey = (await harbour.services.apiKeys.create(school.id, 'school MIS', { label: 'test' })).key
  // a demo pupil at Meadowbank with no one else at home sharing their birthday
  pupil = (await lonePupil(db, '990001'))!
})
after(() => harbour.stop())

const OCCURRED_AT = new Date(Date.now() - 3 * 3600_000).toISOString()

function report(reference: string, extra: Record<string, unknown> = {}) {
  return {
    policeReference: reference, occurredAt: OCCURRED_AT, location: 'Home address (synthetic)', circumstances: 'Argument between the adults; police attended (synthetic)', riskGrade: 'medium',
    adults: [{ label: 'A', firstName: 'Sam', lastName: 'Synthetic' }],
    children: [
      { firstName: pupil.first_name, lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true, spokenTo: false },
      { firstName: 'Eilidh', lastName: 'Featherstonehaugh', dateOfBirth: '2014-08-30', address: '9 Kestrel Way', postcode: 'B90 4QR', present: false },
      { firstName: 'Theo', lastName: 'Synthetic', dateOfBirth: '2006-01-02', present: true },
      { firstName: 'Zebedee', lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true }
    ],
    ...extra
  }
}

const send = (key: string, body: unknown) => harbour.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${key}` }, payload: body as Record<string, unknown> })
const count = async (table: 'incident' | 'incident_child' | 'incident_version') => Number((await harbour.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

test('a bad report names each field and stores nothing', async () => {
  const before = await count('incident')
  const response = await send(policeKey, { ...report('HPF/T/1'), occurredAt: 'last night', children: [{ firstName: 'Jo', present: 'yes' }] })
  assert.equal(response.statusCode, 400)
  const fields = (response.json().errors as Array<{ field: string }>).map((e) => e.field)
  for (const field of ['occurredAt', 'children[0].lastName', 'children[0].dateOfBirth', 'children[0].present']) assert.ok(fields.includes(field), `names ${field}`)
  assert.equal(await count('incident'), before)
})

test('each child is routed: a pupil to their school by the next school day, a child on no roll to the council, an adult excluded, a possible twin to review', async () => {
  const response = await send(policeKey, report('HPF/T/2'))
  assert.equal(response.statusCode, 201, response.body)
  const answer = response.json() as { id: string, version: number, children: Array<{ route: string, settingUrn?: string, deadline?: string, reason?: string }> }
  assert.equal(answer.version, 1)
  const [onRoll, unknown, adult, twin] = answer.children
  assert.equal(onRoll?.route, 'setting')
  assert.equal(onRoll?.settingUrn, '990001')
  const expected = await nextSchoolDayFor(harbour.services.db, '990001', new Date(OCCURRED_AT))
  assert.equal(onRoll?.deadline, expected.toISOString(), 'the deadline is the start of the school\'s next day after the incident')
  assert.equal(unknown?.route, 'local-authority')
  assert.match(unknown?.reason ?? '', /Not found on any school roll/)
  assert.ok(unknown?.deadline, 'a child sent to the council has a deadline too')
  assert.equal(adult?.route, 'excluded')
  assert.match(adult?.reason ?? '', /18 or over/)
  assert.equal(adult?.deadline, undefined)
  assert.equal(twin?.route, 'review')
  const review = await harbour.services.db.selectFrom('match_review').selectAll().where('source', '=', 'Police incident').where('source_ref', '=', 'HPF/T/2 v1 child 4').executeTakeFirst()
  assert.ok(review, 'the possible twin waits in the review queue')
  const audit = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'incident-create').where('record_id', '=', answer.id).execute()
  assert.equal(audit.length, 1)
})

test('the same report again gets the same answer and creates nothing; a changed one is an amendment', async () => {
  const first = await send(policeKey, report('HPF/T/3'))
  const incidents = await count('incident')
  const children = await count('incident_child')
  const again = await send(policeKey, report('HPF/T/3'))
  assert.equal(again.statusCode, 201)
  assert.deepEqual(again.json(), first.json())
  assert.equal(await count('incident'), incidents)
  assert.equal(await count('incident_child'), children)

  const amended = await send(policeKey, report('HPF/T/3', { location: 'Grandparent\'s address (synthetic)' }))
  assert.equal(amended.statusCode, 200)
  assert.equal(amended.json().id, first.json().id)
  assert.equal(amended.json().version, 2)
  assert.equal(await count('incident'), incidents)
  const versions = await harbour.services.db.selectFrom('incident_version').select('version').where('incident_id', '=', first.json().id).orderBy('version').execute()
  assert.deepEqual(versions.map((v) => v.version), [1, 2])
  const audit = await harbour.services.db.selectFrom('audit_event').select('action').where('record_id', '=', first.json().id).orderBy('id').execute()
  assert.deepEqual(audit.map((a) => a.action), ['incident-create', 'incident-amend'])
})

test('a school\'s key cannot send incidents, and nothing is stored', async () => {
  const before = await count('incident')
  const response = await send(schoolKey, report('HPF/T/4'))
  assert.equal(response.statusCode, 403)
  assert.equal(await count('incident'), before)
})

test('a child under school age is excluded, unless the partnership has switched on its early years route', async () => {
  const baby = { ...report('HPF/T/5'), children: [{ firstName: 'Ada', lastName: 'Synthetic', dateOfBirth: '2024-02-10', present: false }] }
  const off = await send(policeKey, baby)
  assert.equal(off.json().children[0].route, 'excluded')
  assert.match(off.json().children[0].reason, /early years route/)
  const withEarlyYears = await testHarbour({ demo: true, env: { ENCOMPASS_EARLY_YEARS: 'true' } })
  try {
    const police = await withEarlyYears.services.db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
    const key = (await withEarlyYears.services.apiKeys.create(police.id, 'records system', { label: 'test' })).key
    const on = await withEarlyYears.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${key}` }, payload: baby })
    assert.equal(on.json().children[0].route, 'local-authority')
    assert.match(on.json().children[0].reason, /early years team/)
  } finally {
    await withEarlyYears.stop()
  }
})

test('an incident on the Friday night before half term: each child\'s deadline is the first school day on their own setting\'s calendar', async () => {
  const riverside = await lonePupil(harbour.services.db, '990002')
  assert.ok(riverside)
  const body = {
    ...report('HPF/T/HALF-TERM'),
    // Friday 16 October 2026, 21:30 in London (summer time): Riverside Academy's two-week half term starts; Meadowbank's does not
    occurredAt: '2026-10-16T20:30:00Z',
    children: [
      { firstName: pupil.first_name, lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true },
      { firstName: riverside.first_name, lastName: riverside.last_name, dateOfBirth: riverside.date_of_birth, address: riverside.address, postcode: riverside.postcode, present: true }
    ]
  }
  const response = await send(policeKey, body)
  assert.equal(response.statusCode, 201, response.body)
  const [meadowbank, academy] = (response.json() as { children: Array<{ settingUrn?: string, deadline?: string }> }).children
  assert.equal(meadowbank?.settingUrn, '990001')
  assert.equal(meadowbank?.deadline, '2026-10-19T07:45:00.000Z', 'Monday 19 October, 08:45 summer time')
  assert.equal(academy?.settingUrn, '990002')
  assert.equal(academy?.deadline, '2026-11-02T08:30:00.000Z', 'Monday 2 November after the academy\'s two-week half term, its own 08:30 start, winter time')
})

test('incidents arriving together are written together, and each gets its own answer, notifications and audit entry, as if sent alone', async () => {
  const db = harbour.services.db
  const references = Array.from({ length: 12 }, (_, i) => `HPF/T/TOGETHER/${i}`)
  // a report sent alone first, for the answer each of the others should match
  const alone = (await send(policeKey, report('HPF/T/ALONE'))).json() as { children: unknown[] }
  const responses = await Promise.all(references.map((reference) => send(policeKey, report(reference))))
  for (const response of responses) assert.equal(response.statusCode, 201, response.body)
  const answers = responses.map((r) => r.json() as { id: string, version: number, children: unknown[] })
  assert.equal(new Set(answers.map((a) => a.id)).size, references.length, 'an incident each')
  for (const answer of answers) assert.deepEqual(answer.children, alone.children, 'routed as the same report sent alone')
  const stored = await db.selectFrom('incident').select(['id', 'police_reference']).where('police_reference', 'in', references).execute()
  assert.deepEqual(new Map(stored.map((s) => [s.police_reference, s.id])), new Map(references.map((reference, i) => [reference, answers[i]!.id])), 'each answer is its own incident')
  const ids = answers.map((a) => a.id)
  const audit = await db.selectFrom('audit_event').select(['record_id', 'details']).where('action', '=', 'incident-create').where('record_id', 'in', ids).execute()
  assert.equal(audit.length, references.length, 'one audit entry an incident')
  for (const entry of audit) assert.equal((entry.details as { policeReference: string }).policeReference, stored.find((s) => s.id === entry.record_id)?.police_reference)
  const notices = await db.selectFrom('encompass_notification').select(['incident_id', 'child_position']).where('incident_id', 'in', ids).execute()
  const alonePerIncident = (alone.children as Array<{ route: string }>).filter((c) => c.route === 'setting' || c.route === 'local-authority').length
  for (const id of ids) assert.equal(notices.filter((n) => n.incident_id === id).length, alonePerIncident, 'each incident has its own notifications')
  assert.deepEqual(await verifyAuditChain(db), { intact: true, entries: Number((await db.selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) })
})

test('the same report sent many times at once is one incident; a change sent with them is one amendment', async () => {
  const reference = 'HPF/T/RETRIES'
  const changed = report(reference, { circumstances: 'Changed after the officer\'s review (synthetic)' })
  const responses = await Promise.all([...Array.from({ length: 6 }, () => send(policeKey, report(reference))), send(policeKey, changed)])
  const stored = await harbour.services.db.selectFrom('incident').select(['id', 'version']).where('police_reference', '=', reference).execute()
  assert.equal(stored.length, 1, 'one incident')
  assert.ok(responses.every((r) => r.json().id === stored[0]!.id), 'every answer names it')
  const versions = await harbour.services.db.selectFrom('incident_version').select(['version', 'content_hash']).where('incident_id', '=', stored[0]!.id).orderBy('version').execute()
  // the change is one amendment; copies of the original that came after it amend it back, each once
  assert.equal(new Set(versions.map((v) => v.version)).size, versions.length, 'no version twice')
  assert.equal(versions.at(-1)?.version, stored[0]!.version)
  assert.ok(versions.length >= 2 && versions.length <= 3, `${versions.length} versions`)
  for (let i = 1; i < versions.length; i++) assert.notEqual(versions[i]?.content_hash, versions[i - 1]?.content_hash, 'a version only when the content changed')
})

test('one report that cannot be written does not stop the others written with it', async () => {
  const intake = harbour.services.incidents
  const police = await harbour.services.db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
  const actor = { label: 'test' }
  // an organisation that does not exist: the database refuses the incident (its force must be an organisation)
  const outcomes = await Promise.allSettled([
    intake.receive(police.id, report('HPF/T/GOOD/1'), actor, {}),
    intake.receive(police.id, report('HPF/T/GOOD/2'), actor, {}),
    intake.receive('00000000-0000-4000-8000-000000000000', report('HPF/T/ORPHAN'), actor, {}),
    intake.receive(police.id, report('HPF/T/GOOD/3'), actor, {})
  ])
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
  const stored = await harbour.services.db.selectFrom('incident').select('police_reference').where('police_reference', 'like', 'HPF/T/GOOD/%').execute()
  assert.equal(stored.length, 3)
  assert.equal((await harbour.services.db.selectFrom('incident').select('id').where('police_reference', '=', 'HPF/T/ORPHAN').execute()).length, 0)
})

test('a batch of 250 reports (a large CSV upload) is stored whole, in one transaction, each with its audit entry', async () => {
  const db = harbour.services.db
  const police = await db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
  const bodies = Array.from({ length: 250 }, (_, i) => ({ ...report(`HPF/T/LARGE/${i}`), children: report('x').children.slice(0, 2) }))
  const result = await harbour.services.incidents.receiveBatch(police.id, bodies, { label: 'test' }, {})
  assert.ok(result.ok)
  assert.equal(result.results.length, 250)
  assert.ok(result.results.every((r) => r.created && r.answer.children.length === 2))
  const ids = result.results.map((r) => r.answer.id)
  assert.equal(new Set(ids).size, 250)
  const stored = await db.selectFrom('incident').select('id').where('police_reference', 'like', 'HPF/T/LARGE/%').execute()
  assert.equal(stored.length, 250)
  const audited = await db.selectFrom('audit_event').select('record_id').where('action', '=', 'incident-create').where('record_id', 'in', ids).execute()
  assert.equal(audited.length, 250)
  const children = await db.selectFrom('incident_child').select('incident_id').where('incident_id', 'in', ids).execute()
  assert.equal(children.length, 500)

  // and one bad report in a batch stores none of it
  const before = await count('incident')
  const refused = await harbour.services.incidents.receiveBatch(police.id, [...bodies.slice(0, 3).map((b, i) => ({ ...b, policeReference: `HPF/T/LARGE/NEW/${i}` })), { ...bodies[0], occurredAt: 'not a time' }], { label: 'test' }, {})
  assert.ok(!refused.ok)
  assert.deepEqual(refused.errors.map((e) => e.index), [3])
  assert.equal(await count('incident'), before)
})
