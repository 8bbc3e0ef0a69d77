// MARAC referrals, the queue and the return: the API (201, 400 naming each field, the same referral sent
// again), the repeat rule through the API with the linkage library (a slip in a name is still the same
// victim; a year to the day is a repeat, a day more a new case), allocation with a full meeting and a
// coordinator's move, the quarterly return's counts, the command line writing CSV, who may do what,
// and the audit trail.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { commandLine, freshPostgresDatabase, onPostgres, testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { loadDemoData } from '../src/organisations/demo.ts'
import { addDays, londonInstant } from '../src/platform/time/london-time.ts'
import { todayInLondon } from '../src/platform/time/dates.ts'
import { daysBetween } from '../src/marac/dates.ts'
import { allocateQueue, createReferral, maracReturn, moveCase, queueView } from '../src/marac/cases.ts'
import type { Db } from '../src/platform/db/database.ts'


let harbour: TestHarbour
let db: Db
let policeKey = ''
let schoolKey = ''
let policeId = ''
let healthId = ''
let coordinator: Record<string, string> = {}
let schoolDsl: Record<string, string> = {}
const today = todayInLondon()
const system = { label: 'marac test' }

before(async () => {
  harbour = await testHarbour({ demo: true })
  db = harbour.services.db
  const idOf = async (reference: string) => (await db.selectFrom('organisation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id
  policeId = await idOf('HPF')
  healthId = await idOf('HNHS')
  policeKey = (await harbour.services.apiKeys.create(policeId, 'records system', { label: 'test' })).key
  schoolKey = (await harbour.services.apiKeys.create(await idOf('URN-990001'), 'Meadowbank MIS', { label: 'test' })).key
  coordinator = await harbour.sessionAs('marac@council.harbour.invalid')
  schoolDsl = await harbour.sessionAs('dsl@meadowbank.harbour.invalid')
})
after(() => harbour.stop())

let counter = 0
function referral(victim: [string, string, string], perpetrator: [string, string, string?], extra: Record<string, unknown> = {}) {
  counter++
  return {
    referralReference: `TEST-${counter}`, areaCode: 'HBC',
    referrer: { name: 'PC Test (synthetic)', email: 'pc.test@police.harbour.invalid' },
    victim: { firstName: victim[0], lastName: victim[1], dateOfBirth: victim[2], address: '1 Synthetic Road, Harbourshire', safeContactNumber: '01632 960001', safeContactTime: 'Mornings' },
    perpetrators: [{ firstName: perpetrator[0], lastName: perpetrator[1], ...(perpetrator[2] ? { dateOfBirth: perpetrator[2] } : {}), relationshipToVictim: 'Ex-partner' }],
    children: [{ firstName: 'Mia', lastName: victim[1], dateOfBirth: '2017-03-04', relationshipToVictim: 'Daughter', relationshipToPerpetrators: ['Daughter'], livesInHousehold: true, school: 'Meadowbank Primary School', schoolUrn: '990001' }],
    criteria: { riskAssessmentYesCount: 15 }, consent: 'given', victimKnows: true,
    ...extra
  }
}

const api = (body: unknown, key = policeKey) =>
  harbour.app.inject({ method: 'POST', url: '/api/v1/marac/referrals', headers: { authorization: `Bearer ${key}` }, payload: body as Record<string, unknown> })
const page = (url: string, cookies: Record<string, string>) => harbour.app.inject({ method: 'GET', url, cookies })
const form = (url: string, cookies: Record<string, string>, fields: Record<string, string> = {}) =>
  harbour.app.inject({ method: 'POST', url, cookies, payload: new URLSearchParams({ _csrf: tokenFor(harbour, cookies), ...fields }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
const at = (date: string) => new Date(londonInstant(date, 11 * 60))

test('a police force refers through the API: 201 with the id, not a repeat, and the referral is stored and audited', async () => {
  const response = await api(referral(['Rosa', 'Testwell', '1990-02-03'], ['Dean', 'Testwell', '1987-06-06']))
  assert.equal(response.statusCode, 201, response.body)
  const answer = response.json() as { id: string, repeat: boolean, previousReferralId?: string, criteriaMet: string[] }
  assert.match(answer.id, /^[0-9a-f-]{36}$/)
  assert.equal(answer.repeat, false)
  assert.equal(answer.previousReferralId, undefined)
  assert.deepEqual(answer.criteriaMet, ['visible-high-risk'])
  const row = await db.selectFrom('marac_referral').selectAll().where('id', '=', answer.id).executeTakeFirstOrThrow()
  assert.equal(row.referring_organisation_id, policeId)
  assert.equal(row.children_in_household, 1)
  const audit = await db.selectFrom('audit_event').selectAll().where('action', '=', 'marac-referral-create').where('record_id', '=', answer.id).executeTakeFirstOrThrow()
  assert.equal(audit.record_type, 'marac-referral')
  assert.equal((audit.details as { repeat: boolean }).repeat, false)
  assert.doesNotMatch(JSON.stringify(audit.details), /Rosa|Testwell/, 'the audit entry names no one')
})

test('an invalid referral is a 400 naming each field, and nothing is stored', async () => {
  const body = referral(['', 'Nameless', '2030-01-01'], ['Kai', 'Nameless'], {
    areaCode: undefined, consent: 'maybe', victimKnows: 'yes',
    children: [{ firstName: 'Ada', lastName: 'Nameless', dateOfBirth: '2019-02-30', relationshipToVictim: 'Daughter' }, { firstName: 'Bo', dateOfBirth: '2018-01-01', relationshipToVictim: 'Son', schoolUrn: '12' }],
    criteria: { riskAssessmentYesCount: 40, policeIncidentDates: ['yesterday'] }
  })
  const before = await db.selectFrom('marac_referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const response = await api(body)
  assert.equal(response.statusCode, 400)
  const fields = (response.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort()
  assert.deepEqual(fields, [
    'areaCode', 'children[0].dateOfBirth', 'children[1].lastName', 'children[1].schoolUrn', 'consent', 'criteria.policeIncidentDates[0]',
    'criteria.riskAssessmentYesCount', 'victim.dateOfBirth', 'victim.firstName', 'victimKnows'
  ])
  const after = await db.selectFrom('marac_referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  assert.equal(Number(after.n), Number(before.n))
  // meeting no criterion at all (and not a repeat) is a 400 on "criteria"
  const none = await api(referral(['Uma', 'Nocriteria', '1993-03-03'], ['Ian', 'Nocriteria'], { criteria: { riskAssessmentYesCount: 9 } }))
  assert.equal(none.statusCode, 400)
  assert.deepEqual((none.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field), ['criteria'])
  // an area that does not exist
  const area = await api(referral(['Uma', 'Noarea', '1993-03-03'], ['Ian', 'Noarea'], { areaCode: 'NOPE' }))
  assert.equal(area.statusCode, 400)
  assert.match(area.body, /"field":"areaCode".*HBC/)
})

test('the same referral sent again gets the same answer and creates nothing; the same reference for another referral is refused', async () => {
  const body = referral(['Nia', 'Retry', '1988-08-08'], ['Olly', 'Retry', '1986-01-01'])
  const first = await api(body)
  const second = await api(body)
  assert.equal(first.statusCode, 201)
  assert.equal(second.statusCode, 201)
  assert.deepEqual(second.json(), first.json())
  const rows = await db.selectFrom('marac_referral').select('id').where('client_reference', '=', body.referralReference).execute()
  assert.equal(rows.length, 1)
  const other = await api({ ...body, highPriority: true })
  assert.equal(other.statusCode, 409)
  assert.match(other.body, /already used for a different referral/)
  // the reference is per organisation: another agency may use the same one
  const health = await harbour.services.apiKeys.create(healthId, 'health system', { label: 'test' })
  const theirs = await api(referral(['Pat', 'Elsewhere', '1970-07-07'], ['Quin', 'Elsewhere'], { referralReference: body.referralReference }), health.key)
  assert.equal(theirs.statusCode, 201)
})

test('repeat rule through the API: the same victim and perpetrator within 12 months is a repeat, whatever the score, recognised despite a slip in the name', async () => {
  const lastYear = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`
  // a year ago to the calendar day (365 days, or 366 across a 29 February): still a repeat
  const earlier = await createReferral(db, { organisationId: healthId, actor: system, now: at(lastYear), body: referral(['Jasmine', 'Okafor-Test', '1991-04-12'], ['Marcus', 'Lindqvist', '1989-10-30']) })
  assert.ok(earlier.ok)
  const repeat = await api(referral(['Jasmin', 'Okafor-Test', '1991-04-12'], ['Marcus', 'Lindqvist'], { criteria: { riskAssessmentYesCount: 4 } }))
  assert.equal(repeat.statusCode, 201, repeat.body)
  assert.deepEqual({ repeat: repeat.json().repeat, previousReferralId: repeat.json().previousReferralId, criteriaMet: repeat.json().criteriaMet }, { repeat: true, previousReferralId: earlier.answer.id, criteriaMet: ['repeat'] })

  // a day more than a year: a new case (and with nothing else, no criterion is met)
  const dayBefore = addDays(lastYear, -1)
  assert.ok(daysBetween(dayBefore, today) === 366 || daysBetween(dayBefore, today) === 367)
  const old = await createReferral(db, { organisationId: healthId, actor: system, now: at(dayBefore), body: referral(['Hannah', 'Whitcombe', '1985-01-20'], ['Gareth', 'Pryce', '1983-05-15']) })
  assert.ok(old.ok)
  const late = await api(referral(['Hanna', 'Whitcombe', '1985-01-20'], ['Gareth', 'Pryce', '1983-05-15']))
  assert.equal(late.statusCode, 201, late.body)
  assert.equal(late.json().repeat, false)
  assert.equal(late.json().previousReferralId, undefined)
  const lateRow = await db.selectFrom('marac_referral').select('previous_referral_id').where('id', '=', late.json().id).executeTakeFirstOrThrow()
  assert.equal(lateRow.previous_referral_id, old.answer.id, 'the earlier referral is still linked, as a previous MARAC')

  // the same victim with a different perpetrator is not a repeat; nor is a different person with the same surname and birthday
  const otherPerpetrator = await api(referral(['Jasmine', 'Okafor-Test', '1991-04-12'], ['Stefan', 'Moravec', '1979-02-02']))
  assert.equal(otherPerpetrator.json().repeat, false)
  const twin = await api(referral(['Grace', 'Okafor-Test', '1991-04-12'], ['Marcus', 'Lindqvist', '1989-10-30']))
  assert.equal(twin.json().repeat, false)
})

test('repeat rule: a victim whose surname changed after separation is recognised by first name and date of birth with the same perpetrator; a twin sister is not', async () => {
  const first = await api(referral(['Bethany', 'Whitfield', '1993-07-21'], ['Gareth', 'Pryce', '1982-11-02']))
  assert.equal(first.statusCode, 201, first.body)
  const renamed = await api(referral(['Bethany', 'Pryce', '1993-07-21'], ['Gareth', 'Pryce', '1982-11-02'], { criteria: { riskAssessmentYesCount: 9 } }))
  assert.equal(renamed.statusCode, 201, renamed.body)
  assert.deepEqual({ repeat: renamed.json().repeat, previousReferralId: renamed.json().previousReferralId, criteriaMet: renamed.json().criteriaMet }, { repeat: true, previousReferralId: first.json().id, criteriaMet: ['repeat'] })
  // her twin sister (same birthday and surname, another first name), with the same perpetrator and a low score: not a repeat, and no criterion met
  const twin = await api(referral(['Rebecca', 'Whitfield', '1993-07-21'], ['Gareth', 'Pryce', '1982-11-02'], { criteria: { riskAssessmentYesCount: 9 } }))
  assert.equal(twin.statusCode, 400, twin.body)
  assert.match(twin.body, /meets no referral criterion/)
  // the renamed victim with another perpetrator: not a repeat
  const otherPerpetrator = await api(referral(['Bethany', 'Pryce', '1993-07-21'], ['Owen', 'Rydderch', '1980-01-09']))
  assert.equal(otherPerpetrator.json().repeat, false)
})

test('a school cannot refer: its API key and its DSL get 403; anonymous callers 401', async () => {
  const response = await api(referral(['Zoe', 'School', '1990-01-01'], ['Yan', 'School']), schoolKey)
  assert.equal(response.statusCode, 403)
  assert.equal((await harbour.app.inject({ method: 'POST', url: '/api/v1/marac/referrals', payload: {} })).statusCode, 401)
  for (const url of ['/marac/referrals/new', '/marac/queue', '/marac/returns']) assert.equal((await page(url, schoolDsl)).statusCode, 403, url)
})

async function testArea(code: string, capacity: number, extra: Record<string, unknown> = {}) {
  // fortnightly on Tuesdays, from a Tuesday well in the past
  await db.insertInto('marac_area').values({ code, name: `Test ${code}`, council: 'Test council', rhythm: 'fortnightly', first_meeting: '2025-01-07', capacity, target_wait_days: 14, adult_women: 50_000, ...extra }).execute()
}

test('allocation: oldest first into the next meeting with room, a full meeting pushes a case on, high priority goes first; a coordinator moves a case with a reason', async () => {
  await testArea('TFULL', 2)
  const on = '2026-03-02' // a Monday; meetings on Tuesdays 3 and 17 March
  const refer = async (name: string, date: string, extra: Record<string, unknown> = {}) => {
    const result = await createReferral(db, { organisationId: policeId, actor: system, now: at(date), body: referral([name, 'Queue', '1980-01-01'], [`${name}-p`, 'Queue'], { areaCode: 'TFULL', ...extra }) })
    assert.ok(result.ok, JSON.stringify(result))
    return result.answer.id
  }
  const a = await refer('Alice', '2026-02-20')
  const b = await refer('Beth', '2026-02-23')
  const c = await refer('Cara', '2026-02-25')
  const d = await refer('Dina', '2026-02-27', { highPriority: true })
  const preview = (await queueView(db, 'TFULL', on))!
  assert.equal(preview.waiting.length, 4)
  assert.equal(preview.alert.alert, false, 'two meetings of two take four cases')
  const done = await allocateQueue(db, { areaCode: 'TFULL', actor: system, today: on })
  assert.deepEqual(done, { ok: true, allocated: 4, unallocated: 0 })
  const placed = new Map((await db.selectFrom('marac_allocation as x').innerJoin('marac_meeting as m', 'm.id', 'x.meeting_id').select(['x.referral_id', 'm.meets_on', 'x.waiting_days']).execute()).map((r) => [r.referral_id, r]))
  assert.equal(placed.get(d)?.meets_on, '2026-03-03', 'high priority first')
  assert.equal(placed.get(a)?.meets_on, '2026-03-03', 'then the oldest')
  assert.equal(placed.get(b)?.meets_on, '2026-03-17', 'the first meeting is full')
  assert.equal(placed.get(c)?.meets_on, '2026-03-17')
  assert.equal(placed.get(a)?.waiting_days, 11)

  // the next meetings are full: a new referral waits past them, and the alert fires
  const e = await refer('Erin', '2026-03-01')
  const view = (await queueView(db, 'TFULL', on))!
  assert.equal(view.alert.alert, true)
  assert.deepEqual(view.alert.unabsorbed, [e])
  assert.equal(view.waiting[0]?.proposedMeeting, '2026-03-31')

  // a move needs a reason; with one, the coordinator may fill a full meeting (shown as over capacity)
  const noReason = await moveCase(db, { referralId: e, meeting: '2026-03-03', reason: ' ', actor: system, today: on })
  assert.deepEqual(noReason.ok ? [] : noReason.errors.map((x) => x.field), ['reason'])
  const moved = await moveCase(db, { referralId: e, meeting: '2026-03-03', reason: 'Risk escalated: the perpetrator is due for release', actor: system, today: on })
  assert.deepEqual(moved, { ok: true, meeting: '2026-03-03', overCapacity: true })
  const history = await db.selectFrom('marac_allocation_history').selectAll().where('referral_id', '=', e).execute()
  assert.equal(history.at(-1)?.reason, 'Risk escalated: the perpetrator is due for release')
  const audit = await db.selectFrom('audit_event').select(['details']).where('action', '=', 'marac-case-move').where('record_id', '=', e).executeTakeFirstOrThrow()
  assert.equal((audit.details as { overCapacity: boolean }).overCapacity, true)
  const after = (await queueView(db, 'TFULL', on))!
  assert.equal(after.meetings[0]?.overCapacity, true)
  assert.equal(after.meetings[0]?.booked, 3)
})

test('the quarterly return counts the cases heard in the quarter, by meeting, with the rate per 10,000 adult women', async () => {
  await testArea('TRET', 16, { adult_women: 20_000 })
  const names = ['', 'Anwen', 'Bethan', 'Carys', 'Delyth']
  const refer = async (n: number, date: string, victim: Record<string, unknown>, extra: Record<string, unknown> = {}, organisationId = policeId) => {
    const { perpetratorDob, ...rest } = extra
    const body = referral([names[n]!, 'Return', String(victim.dateOfBirth ?? '1985-05-05')], [`${names[n]}son`, 'Perp', perpetratorDob as string | undefined], { areaCode: 'TRET', ...rest })
    body.victim = { ...body.victim, ...victim } as typeof body.victim
    const result = await createReferral(db, { organisationId, actor: system, now: at(date), body })
    assert.ok(result.ok, JSON.stringify(result))
  }
  await refer(1, '2026-07-01', { diversity: { gender: 'male', ethnicity: 'asian', lgbt: 'yes', disabled: 'no' } })
  await refer(2, '2026-07-02', { dateOfBirth: '2009-09-01', diversity: { gender: 'female', ethnicity: 'white-british', lgbt: 'not-known', disabled: 'yes' } }, { perpetratorDob: '2009-01-01' })
  await refer(3, '2026-07-03', {}, {}, healthId)
  await allocateQueue(db, { areaCode: 'TRET', actor: system, today: '2026-07-06' })
  // a repeat of victim 1 in August, heard at a later meeting
  await refer(4, '2026-08-10', {})
  const repeatBody = referral(['Anwen', 'Return', '1985-05-05'], ['Anwenson', 'Perp'], { areaCode: 'TRET', criteria: {} })
  const repeat = await createReferral(db, { organisationId: policeId, actor: system, now: at('2026-08-11'), body: repeatBody })
  assert.ok(repeat.ok && repeat.answer.repeat)
  await allocateQueue(db, { areaCode: 'TRET', actor: system, today: '2026-08-12' })

  const ret = (await maracReturn(db, 'TRET', '2026Q3'))!
  assert.equal(ret.totals.cases, 5)
  assert.equal(ret.totals.repeats, 1)
  assert.equal(ret.totals.repeatRate, 20)
  assert.equal(ret.totals.childrenInHouseholds, 5)
  assert.equal(ret.totals.bameVictims, 1)
  assert.equal(ret.totals.lgbtVictims, 1)
  assert.equal(ret.totals.disabledVictims, 1)
  assert.equal(ret.totals.maleVictims, 1)
  assert.equal(ret.totals.victimsAged16To17, 1)
  assert.equal(ret.totals.casesWithPerpetratorAged17OrUnder, 1)
  assert.deepEqual(ret.totals.referralsByAgency, [{ agency: 'Police force', cases: 4 }, { agency: 'Health', cases: 1 }])
  assert.deepEqual(ret.meetings.map((m) => [m.date, m.counts.cases]), [['2026-07-07', 3], ['2026-08-18', 2]])
  assert.equal(ret.rate.casesPer10kAdultWomen, 2.5)

  // the page shows it, and its CSV downloads
  const returnPage = await page('/marac/returns?area=TRET&quarter=2026Q3', await harbour.sessionAs('lead@council.harbour.invalid'))
  assert.equal(returnPage.statusCode, 200)
  assert.match(returnPage.body, /Repeat cases/)
  const csv = await page('/marac/returns/return.csv?area=TRET&quarter=2026Q3', coordinator)
  assert.equal(csv.statusCode, 200)
  assert.match(csv.body, /^area,quarter,meeting,measure,value\r?\n/)
  assert.match(csv.body, /TRET,2026Q3,all meetings,Cases,5/)
  const bad = await page('/marac/returns?area=TRET&quarter=2026Q5', coordinator)
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /a year has quarters Q1 to Q4/)
})

test('the coordinator’s pages: the queue shows waiting cases and the alert, allocation and a move go through the forms', async () => {
  const queue = await page('/marac/queue?area=HBC', coordinator)
  assert.equal(queue.statusCode, 200)
  assert.match(queue.body, /Waiting for a meeting/)
  assert.match(queue.body, /The trend/)
  const allocated = await form('/marac/queue/allocate', coordinator, { area: 'HBC' })
  assert.equal(allocated.statusCode, 303, allocated.body)
  assert.match(String(allocated.headers.location), /^\/marac\/queue\?area=HBC&allocated=\d+&unallocated=\d+$/)
  assert.match((await page(String(allocated.headers.location), coordinator)).body, /allocated to meetings/)
  const someCase = await db.selectFrom('marac_allocation as a').innerJoin('marac_meeting as m', 'm.id', 'a.meeting_id').select(['a.referral_id']).where('m.area_code', '=', 'HBC').where('m.meets_on', '>=', today).executeTakeFirstOrThrow()
  const view = (await queueView(db, 'HBC'))!
  const noReason = await form(`/marac/referrals/${someCase.referral_id}/move`, coordinator, { meeting: view.meetings[1]!.date, reason: '' })
  assert.equal(noReason.statusCode, 400)
  assert.match(noReason.body, /Enter the reason for moving the case/)
  const moved = await form(`/marac/referrals/${someCase.referral_id}/move`, coordinator, { meeting: view.meetings[1]!.date, reason: 'The IDVA asked for more time to reach the victim safely' })
  assert.equal(moved.statusCode, 303, moved.body)
  // the address carries a neutral key, never the victim's name; the page says whose case moved
  assert.equal(moved.headers.location, `/marac/queue?area=HBC&moved=${someCase.referral_id}`)
  const movedPage = await page(String(moved.headers.location), coordinator)
  const movedVictim = (await db.selectFrom('marac_referral').select('referral').where('id', '=', someCase.referral_id).executeTakeFirstOrThrow()).referral as unknown as { victim: { firstName: string, lastName: string } }
  assert.ok(movedPage.body.includes(`${movedVictim.victim.firstName} ${movedVictim.victim.lastName}’s case moved to the meeting on`), 'the message is made on the page')
  assert.doesNotMatch((await page('/marac/queue?area=HBC&done=Your+account+is+locked', coordinator)).body, /Your account is locked/, 'no text from the address is shown')
  const detail = await page(`/marac/referrals/${someCase.referral_id}`, coordinator)
  assert.equal(detail.statusCode, 200)
  assert.match(detail.body, /The IDVA asked for more time/)
  assert.match(detail.body, /offered to Operation Encompass and the MASH/)

  // viewing the queue is audited under the area, naming the cases shown, and under each case shown
  const queueViews = await db.selectFrom('audit_event').select(['details', 'record_id']).where('action', '=', 'marac-queue-view').where('record_id', '=', 'HBC').orderBy('id').execute()
  const lastShown = (queueViews.at(-1)?.details as { shown?: string[] } | undefined)?.shown ?? []
  const current = (await queueView(db, 'HBC'))!
  for (const id of [...current.waiting.map((w) => w.id), ...current.meetings.flatMap((m) => m.cases.map((c) => c.id))]) assert.ok(lastShown.includes(id), `the queue view names ${id}`)
  assert.ok(lastShown.includes(someCase.referral_id))
  const caseViews = await db.selectFrom('audit_event').select(['details', 'actor_label']).where('action', '=', 'marac-case-view').where('record_type', '=', 'marac-case').where('record_id', '=', someCase.referral_id).execute()
  assert.ok(caseViews.some((entry) => (entry.details as { page?: string }).page === 'queue'), 'the case has its own entry for the queue view')

  // the IDVA's first contact: shown in the queue (due 2 working days after the referral) and recorded on the referral
  assert.match(queue.body, /IDVA contact \(2 working days\)/)
  const waiting = (await queueView(db, 'HBC'))!.waiting[0] ?? view.waiting[0]
  const target = waiting?.id ?? someCase.referral_id
  const future = addDays(today, 1)
  const tooLate = await form(`/marac/referrals/${target}/idva-contact`, coordinator, { 'idva-day': future.slice(8), 'idva-month': future.slice(5, 7), 'idva-year': future.slice(0, 4) })
  assert.equal(tooLate.statusCode, 400)
  assert.match(tooLate.body, /must not be in the future/)
  const recorded = await form(`/marac/referrals/${target}/idva-contact`, coordinator, { 'idva-day': today.slice(8), 'idva-month': today.slice(5, 7), 'idva-year': today.slice(0, 4) })
  assert.equal(recorded.statusCode, 303, recorded.body)
  assert.match((await page(`/marac/referrals/${target}`, coordinator)).body, /Contacted on/)
})

test('the web referral form: problems named beside their fields, then a referral the referrer can see (and another agency cannot)', async () => {
  const officer = await harbour.sessionAs('officer@police.harbour.invalid')
  const blank = await page('/marac/referrals/new', officer)
  assert.equal(blank.statusCode, 200)
  const reference = /name="referralReference" id="referralReference" value="([^"]+)"/.exec(blank.body)?.[1]
  assert.ok(reference)
  const missing = await form('/marac/referrals/new', officer, { referralReference: reference })
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /Select the MARAC area/)
  assert.match(missing.body, /href="#victim-dob-day"/)
  const fields = {
    referralReference: reference, areaCode: 'HBN', 'victim-firstName': 'Orla', 'victim-lastName': 'Formtest', 'victim-dob-day': '5', 'victim-dob-month': '6', 'victim-dob-year': '1992',
    'victim-address': '3 Synthetic Lane', 'perp1-firstName': 'Paul', 'perp1-lastName': 'Formtest', 'perp1-relationshipToVictim': 'Husband',
    'child1-firstName': 'Rory', 'child1-lastName': 'Formtest', 'child1-dob-day': '1', 'child1-dob-month': '2', 'child1-dob-year': '2018', 'child1-relationshipToVictim': 'Son', 'child1-livesInHousehold': 'yes',
    professionalJudgement: 'Recent non-fatal strangulation and threats to kill; she is very frightened.', consent: 'not-sought', victimKnows: 'no'
  }
  const sent = await form('/marac/referrals/new', officer, fields)
  assert.equal(sent.statusCode, 303, sent.body)
  const again = await form('/marac/referrals/new', officer, fields)
  assert.equal(again.headers.location, String(sent.headers.location).replace('created', 'unchanged'), 'sent twice, one referral')
  const shown = await page(String(sent.headers.location), officer)
  assert.equal(shown.statusCode, 200)
  assert.match(shown.body, /Referral received/)
  assert.match(shown.body, /Rory Formtest/)
  const id = /referrals\/([0-9a-f-]{36})/.exec(String(sent.headers.location))![1]!
  assert.equal((await page(`/marac/referrals/${id}`, await harbour.sessionAs('social.worker@trust.harbour.invalid'))).statusCode, 404)
  const viewed = await db.selectFrom('audit_event').select('id').where('action', '=', 'marac-referral-view').where('record_id', '=', id).execute()
  assert.equal(viewed.length, 1)
  // the referral (with the victim's safe contact number) is the referrer's and the coordinator's: another
  // officer at the same force, or the force's MARAC representative, is told it is not found
  for (const role of ['police_officer', 'marac_representative'] as const) {
    const email = `${role}.${counter++}@police.harbour.invalid`
    const user = await db.insertInto('app_user').values({ email, display_name: 'Same force (synthetic)', organisation_id: policeId, password_hash: null, status: 'active', is_demo: false, team_id: null, totp_secret: null, totp_last_step: null }).returning('id').executeTakeFirstOrThrow()
    await db.insertInto('user_role').values({ user_id: user.id, role }).execute()
    const response = await page(`/marac/referrals/${id}`, await harbour.sessionAs(email))
    assert.equal(response.statusCode, 404, `${role} at the referring force`)
    assert.doesNotMatch(response.body, /Orla|Formtest/)
  }
  assert.equal((await page(`/marac/referrals/${id}`, coordinator)).statusCode, 200, 'the coordinator opens it')
})

test('npx harbour marac return writes the return as CSV', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-marac-cli-'))
  const postgres = onPostgres ? await freshPostgresDatabase() : undefined
  try {
    const database = await openDatabase({ databaseUrl: postgres?.url, dataDir })
    try {
      await migrate(database.db)
      await loadDemoData(database.db)
      await database.db.insertInto('marac_area').values({ code: 'CLI', name: 'CLI area', council: 'Test council', rhythm: 'monthly', first_meeting: '2026-01-13', capacity: 16, target_wait_days: 28, adult_women: 10_000 }).execute()
      const police = (await database.db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()).id
      for (const [name, date] of [['Freya', '2026-07-01'], ['Gwen', '2026-07-20']] as const) {
        const result = await createReferral(database.db, { organisationId: police, actor: system, now: at(date), body: referral([name, 'Victim', '1980-01-01'], [`${name}son`, 'Perp'], { areaCode: 'CLI' }) })
        assert.ok(result.ok)
      }
      await allocateQueue(database.db, { areaCode: 'CLI', actor: system, today: '2026-07-21' })
    } finally {
      await database.close()
    }
    const out = path.join(dataDir, 'return.csv')
    const run = commandLine({ dataDir, databaseUrl: postgres?.url, user: 'marac-test' })
    const result = run('marac', 'return', '--area', 'CLI', '--quarter', '2026Q3', '--out', out)
    assert.equal(result.status, 0, result.output)
    const csv = readFileSync(out, 'utf8')
    assert.match(csv, /^area,quarter,meeting,measure,value\r?\n/)
    assert.match(csv, /CLI,2026Q3,all meetings,Cases,2\r?\n/)
    assert.match(csv, /CLI,2026Q3,2026-08-11,Cases,2\r?\n/)
    assert.match(csv, /Cases per 10,000 adult women",2/)
    const wrong = run('marac', 'return', '--area', 'CLI', '--quarter', '2026-3')
    assert.equal(wrong.status, 1)
    assert.match(wrong.stderr, /like 2026Q3/)
    const noArea = run('marac', 'return', '--area', 'NOPE', '--quarter', '2026Q3')
    assert.equal(noArea.status, 1)
    assert.match(noArea.stderr, /no MARAC area "NOPE".*CLI/)
  } finally {
    await postgres?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('meetings: each agency sees only its meeting’s agenda and records research; an observer confirms confidentiality first; actions, earlier actions and minutes', async () => {
  await testArea('TMEET', 16)
  const refer = async (first: string, date: string) => {
    const result = await createReferral(db, { organisationId: policeId, actor: system, now: at(date), body: referral([first, 'Agenda', '1983-03-03'], [`${first}son`, 'Perp'], { areaCode: 'TMEET' }) })
    assert.ok(result.ok)
    return result.answer.id
  }
  const first = await refer('Imogen', '2026-02-20')
  await allocateQueue(db, { areaCode: 'TMEET', actor: system, today: '2026-02-23' })
  const second = await refer('Juliet', '2026-03-05')
  await allocateQueue(db, { areaCode: 'TMEET', actor: system, today: '2026-03-06' })
  const meetingOf = async (date: string) => (await db.selectFrom('marac_meeting').select('id').where('area_code', '=', 'TMEET').where('meets_on', '=', date).executeTakeFirstOrThrow()).id
  const m1 = await meetingOf('2026-03-03')
  const m2 = await meetingOf('2026-03-17')

  const repA = await harbour.person(['marac_representative'], { organisationType: 'probation' })
  const repB = await harbour.person(['marac_representative'], { organisationType: 'housing' })
  const observer = await harbour.person(['marac_observer'])
  const observerEmail = (await db.selectFrom('app_user').select('email').where('id', '=', observer.userId).executeTakeFirstOrThrow()).email
  assert.equal((await form(`/marac/coordinator/meetings/${m1}/attendees`, coordinator, { kind: 'agency', agency: repA.organisationId })).statusCode, 303)
  assert.equal((await form(`/marac/coordinator/meetings/${m2}/attendees`, coordinator, { kind: 'agency', agency: repB.organisationId })).statusCode, 303)
  assert.equal((await form(`/marac/coordinator/meetings/${m1}/attendees`, coordinator, { kind: 'observer', observer: observerEmail })).statusCode, 303)
  const unknown = await form(`/marac/coordinator/meetings/${m1}/attendees`, coordinator, { kind: 'observer', observer: 'nobody@test.harbour.invalid' })
  assert.equal(unknown.statusCode, 400)
  // only the partnership's agencies attend (never a school), and an observer must hold a role that may observe
  const school = (await db.selectFrom('organisation').select('id').where('reference', '=', 'URN-990001').executeTakeFirstOrThrow()).id
  const asSchool = await form(`/marac/coordinator/meetings/${m1}/attendees`, coordinator, { kind: 'agency', agency: school })
  assert.equal(asSchool.statusCode, 400)
  assert.match(asSchool.body, /is not one of the partnership’s agencies/)
  const notObserver = await form(`/marac/coordinator/meetings/${m1}/attendees`, coordinator, { kind: 'observer', observer: 'social.worker@trust.harbour.invalid' })
  assert.equal(notObserver.statusCode, 400)
  assert.match(notObserver.body, /MARAC observer role/)
  const attendees = await db.selectFrom('marac_meeting_attendee').select(['organisation_id', 'kind']).where('meeting_id', '=', m1).execute()
  assert.deepEqual(attendees.map((a) => a.kind).sort(), ['agency', 'observer'], 'neither was added')

  // agency A: meeting 1's agenda only
  const list = await page('/marac/meetings', repA.cookies)
  assert.match(list.body, new RegExp(`/marac/meetings/${m1}`))
  assert.doesNotMatch(list.body, new RegExp(m2))
  const agendaA = await page(`/marac/meetings/${m1}`, repA.cookies)
  assert.equal(agendaA.statusCode, 200)
  assert.match(agendaA.body, /Imogen Agenda/)
  assert.doesNotMatch(agendaA.body, /Juliet/)
  assert.equal((await page(`/marac/meetings/${m2}`, repA.cookies)).statusCode, 404)
  assert.equal((await page(`/marac/meetings/${m1}`, repB.cookies)).statusCode, 404)
  // viewing the agenda is audited under the meeting and under each case on it
  const agendaView = await db.selectFrom('audit_event').select('details').where('action', '=', 'marac-agenda-view').where('record_id', '=', m1).orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.deepEqual((agendaView.details as { shown: string[] }).shown, [first])
  const firstViews = await db.selectFrom('audit_event').select(['details', 'actor_user_id']).where('action', '=', 'marac-case-view').where('record_type', '=', 'marac-case').where('record_id', '=', first).execute()
  assert.ok(firstViews.some((entry) => entry.actor_user_id === repA.userId && (entry.details as { meetingId?: string }).meetingId === m1), 'the case has its own entry for the agenda view')
  assert.equal((await db.selectFrom('audit_event').select('id').where('action', '=', 'marac-case-view').where('record_id', '=', second).where('actor_user_id', '=', repA.userId).execute()).length, 0)
  // research: only on a case on the agenda of the agency's meeting (another case, or not an id at all: 400 with the error named)
  const offAgenda = await form(`/marac/meetings/${m1}/research`, repA.cookies, { referralId: second, victim: 'Known to us' })
  assert.equal(offAgenda.statusCode, 400)
  assert.match(offAgenda.body, /Record research only on a case on this meeting’s agenda/)
  assert.match(offAgenda.body, /govuk-error-summary/)
  const notAnId = await form(`/marac/meetings/${m1}/research`, repA.cookies, { referralId: 'not-a-uuid', victim: 'Known to us' })
  assert.equal(notAnId.statusCode, 400, notAnId.body)
  assert.equal((await form(`/marac/meetings/${m2}/research`, repA.cookies, { referralId: second, victim: 'Known to us' })).statusCode, 404)
  const empty = await form(`/marac/meetings/${m1}/research`, repA.cookies, { referralId: first })
  assert.equal(empty.statusCode, 400)
  const saved = await form(`/marac/meetings/${m1}/research`, repA.cookies, { referralId: first, victim: 'Known to probation since 2024', perpetrator: 'On licence; breach recorded in January', 'child-0': 'No record', toShare: 'The perpetrator is on licence until June; a licence condition bars contact' })
  assert.equal(saved.statusCode, 303)
  const research = await db.selectFrom('marac_research').selectAll().where('meeting_id', '=', m1).execute()
  assert.equal(research.length, 1)
  assert.equal(research[0]?.organisation_id, repA.organisationId)

  // the observer: nothing before the confidentiality statement, and never a form to record
  const before = await page(`/marac/meetings/${m1}`, observer.cookies)
  assert.equal(before.statusCode, 200)
  assert.match(before.body, /Confidentiality statement/)
  assert.doesNotMatch(before.body, /Imogen/)
  assert.equal((await form(`/marac/meetings/${m1}/confidentiality`, observer.cookies, {})).statusCode, 400)
  assert.equal((await form(`/marac/meetings/${m1}/confidentiality`, observer.cookies, { confirm: 'yes' })).statusCode, 303)
  const afterConfirm = await page(`/marac/meetings/${m1}`, observer.cookies)
  assert.match(afterConfirm.body, /Imogen Agenda/)
  assert.doesNotMatch(afterConfirm.body, /Save the research/)
  assert.equal((await form(`/marac/meetings/${m1}/research`, observer.cookies, { referralId: first, victim: 'x' })).statusCode, 403)

  // the coordinator: an action needs an owner and a due date on or after the meeting
  const noOwner = await form(`/marac/coordinator/meetings/${m1}/actions`, coordinator, { referralId: first, organisationId: repA.organisationId, description: 'Check licence conditions', 'dueOn-day': '1', 'dueOn-month': '3', 'dueOn-year': '2026' })
  assert.equal(noOwner.statusCode, 400)
  assert.match(noOwner.body, /Enter who will do it/)
  assert.match(noOwner.body, /on or after the meeting/)
  const toSchool = await form(`/marac/coordinator/meetings/${m1}/actions`, coordinator, { referralId: first, organisationId: school, owner: 'Head teacher (synthetic)', description: 'Watch for changes', 'dueOn-day': '10', 'dueOn-month': '3', 'dueOn-year': '2026' })
  assert.equal(toSchool.statusCode, 400, 'an action is owned by one of the agencies, never a school')
  const notAnAgency = await form(`/marac/coordinator/meetings/${m1}/actions`, coordinator, { referralId: 'not-a-uuid', organisationId: 'not-a-uuid', owner: 'Someone', description: 'Something', 'dueOn-day': '10', 'dueOn-month': '3', 'dueOn-year': '2026' })
  assert.equal(notAnAgency.statusCode, 400)
  const added = await form(`/marac/coordinator/meetings/${m1}/actions`, coordinator, { referralId: first, organisationId: repA.organisationId, owner: 'Offender manager (synthetic)', description: 'Check licence conditions and tell the IDVA', 'dueOn-day': '10', 'dueOn-month': '3', 'dueOn-year': '2026' })
  assert.equal(added.statusCode, 303, added.body)
  assert.match((await page(`/marac/meetings/${m1}`, repA.cookies)).body, /Check licence conditions and tell the IDVA/)

  // minutes: generated from what was recorded, issued (late: due 3 working days after 3 March), print-ready
  const issued = await form(`/marac/coordinator/meetings/${m1}/minutes`, coordinator)
  assert.equal(issued.statusCode, 303)
  const minutes = await page(`/marac/coordinator/meetings/${m1}/minutes`, coordinator)
  assert.equal(minutes.statusCode, 200)
  assert.match(minutes.body, /a licence condition bars contact/)
  assert.match(minutes.body, /Offender manager \(synthetic\)/)
  assert.match(minutes.body, /late: they were due by 6 March 2026/)
  const minutesView = await db.selectFrom('audit_event').select('details').where('action', '=', 'marac-minutes-view').where('record_id', '=', m1).orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.deepEqual((minutesView.details as { shown: string[] }).shown, [first])
  const minutesCaseView = await db.selectFrom('audit_event').select('details').where('action', '=', 'marac-case-view').where('record_id', '=', first).orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.deepEqual(minutesCaseView.details, { page: 'minutes', meetingId: m1 })
  assert.equal((await form(`/marac/coordinator/meetings/${m1}/minutes`, coordinator)).statusCode, 400, 'issued once')

  // the open action comes back at the next meeting, and is closed there
  const next = await page(`/marac/coordinator/meetings/${m2}`, coordinator)
  assert.match(next.body, /Check licence conditions and tell the IDVA/)
  const action = await db.selectFrom('marac_action').select('id').where('referral_id', '=', first).executeTakeFirstOrThrow()
  assert.equal((await form(`/marac/coordinator/meetings/${m2}/actions/close`, coordinator, { actionId: action.id })).statusCode, 400)
  assert.equal((await form(`/marac/coordinator/meetings/${m2}/actions/close`, coordinator, { actionId: action.id, outcome: 'not-done' })).statusCode, 303)
  const closed = await db.selectFrom('marac_action').selectAll().where('id', '=', action.id).executeTakeFirstOrThrow()
  assert.equal(closed.status, 'not-done')
  assert.equal(closed.closed_at_meeting_id, m2)

  // the IDVA's contact, tracked against 2 working days from the referral
  const contact = await form(`/marac/coordinator/meetings/${m2}/idva-contact`, coordinator, { referralId: second, [`idva-${second}-day`]: '6', [`idva-${second}-month`]: '3', [`idva-${second}-year`]: '2026' })
  assert.equal(contact.statusCode, 303, contact.body)
  assert.match((await page(`/marac/coordinator/meetings/${m2}`, coordinator)).body, /Done on time/)

  const audited = await db.selectFrom('audit_event').select('action').where('action', 'in', ['marac-research-record', 'marac-confidentiality-confirm', 'marac-action-add', 'marac-minutes-issue', 'marac-action-close', 'marac-idva-contact']).execute()
  assert.deepEqual([...new Set(audited.map((a) => a.action))].sort(), ['marac-action-add', 'marac-action-close', 'marac-confidentiality-confirm', 'marac-idva-contact', 'marac-minutes-issue', 'marac-research-record'])
})

test('a transfer: the case goes to the receiving area’s queue with its history and action plan, and the IDVA handover is recorded', async () => {
  await testArea('TFROM', 16)
  await testArea('TTO', 16)
  const heard = await createReferral(db, { organisationId: policeId, actor: system, now: at('2026-02-20'), body: referral(['Kirsty', 'Mover', '1986-06-06'], ['Kirstyson', 'Perp'], { areaCode: 'TFROM' }) })
  assert.ok(heard.ok)
  await allocateQueue(db, { areaCode: 'TFROM', actor: system, today: '2026-02-23' })
  const meeting = (await db.selectFrom('marac_meeting').select('id').where('area_code', '=', 'TFROM').where('meets_on', '=', '2026-03-03').executeTakeFirstOrThrow()).id
  assert.equal((await form(`/marac/coordinator/meetings/${meeting}/actions`, coordinator, { referralId: heard.answer.id, organisationId: healthId, owner: 'Health visitor (synthetic)', description: 'Share the safety plan with the GP', 'dueOn-day': '20', 'dueOn-month': '3', 'dueOn-year': '2026' })).statusCode, 303)
  // waiting for a hearing still to come
  const waiting = await createReferral(db, { organisationId: policeId, actor: system, body: referral(['Leanne', 'Mover', '1992-02-02'], ['Leanneson', 'Perp'], { areaCode: 'TFROM' }) })
  assert.ok(waiting.ok)
  await allocateQueue(db, { areaCode: 'TFROM', actor: system })
  assert.ok(await db.selectFrom('marac_allocation').select('meeting_id').where('referral_id', '=', waiting.answer.id).executeTakeFirst())

  const missing = await form(`/marac/referrals/${waiting.answer.id}/transfer`, coordinator, { toArea: 'TFROM' })
  assert.equal(missing.statusCode, 400)
  for (const message of ['Select the receiving MARAC area', 'Enter why the case moves', 'Enter the IDVA handing over', 'Enter the receiving IDVA']) assert.match(missing.body, new RegExp(message))
  const handover = { toArea: 'TTO', transferReason: 'The victim has moved to a refuge in the area', idvaFrom: 'Avery (synthetic)', idvaTo: 'Blake (synthetic)', 'handedOverOn-day': today.slice(8), 'handedOverOn-month': today.slice(5, 7), 'handedOverOn-year': today.slice(0, 4) }
  assert.equal((await form(`/marac/referrals/${waiting.answer.id}/transfer`, coordinator, handover)).statusCode, 303)
  assert.equal(await db.selectFrom('marac_allocation').select('meeting_id').where('referral_id', '=', waiting.answer.id).executeTakeFirst(), undefined, 'the hearing still to come is cancelled')
  assert.deepEqual((await queueView(db, 'TTO'))!.waiting.map((w) => w.id), [waiting.answer.id])

  assert.equal((await form(`/marac/referrals/${heard.answer.id}/transfer`, coordinator, handover)).statusCode, 303)
  const page2 = await page(`/marac/referrals/${heard.answer.id}`, coordinator)
  assert.match(page2.body, /Transferred from Test TFROM to Test TTO: The victim has moved to a refuge in the area/)
  assert.match(page2.body, /IDVA handover from Avery \(synthetic\) to Blake \(synthetic\)/)
  assert.match(page2.body, /Heard at Test TFROM on 3 March 2026/)
  assert.match(page2.body, /Share the safety plan with the GP/)
  // the heard case stays counted in the area that heard it
  assert.equal((await maracReturn(db, 'TFROM', '2026Q1'))!.totals.cases, 1)
  // the heard case waits in the receiving area's queue; the old meeting's agenda still has it
  assert.deepEqual((await queueView(db, 'TTO'))!.waiting.map((w) => w.id).sort(), [heard.answer.id, waiting.answer.id].sort())
  assert.match((await page(`/marac/coordinator/meetings/${meeting}`, coordinator)).body, /Kirsty Mover/)
  // heard again at the receiving area's next meeting, where its open action comes back
  assert.deepEqual(await allocateQueue(db, { areaCode: 'TTO', actor: system }), { ok: true, allocated: 2, unallocated: 0 })
  const rehearing = await db.selectFrom('marac_allocation as x').innerJoin('marac_meeting as m', 'm.id', 'x.meeting_id').select(['m.id', 'm.area_code'])
    .where('x.referral_id', '=', heard.answer.id).where('x.superseded_at', 'is', null).executeTakeFirstOrThrow()
  assert.equal(rehearing.area_code, 'TTO')
  assert.match((await page(`/marac/coordinator/meetings/${rehearing.id}`, coordinator)).body, /Share the safety plan with the GP/)
  assert.equal((await maracReturn(db, 'TFROM', '2026Q1'))!.totals.cases, 1)
  const audit = await db.selectFrom('audit_event').select('details').where('action', '=', 'marac-case-transfer').where('record_id', '=', waiting.answer.id).executeTakeFirstOrThrow()
  assert.equal((audit.details as { to: string }).to, 'TTO')
})
