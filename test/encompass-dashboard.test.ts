// The council's Operation Encompass view, from incidents posted through the police API: today's
// notifications by deadline status, late and unacknowledged ones, the review queue with deadlines at
// risk, children routed to the council, settings not signed up, acknowledgement time per setting; the
// CSV exports; who may see it; the audit trail; and the warning when the partnership's deadline rule
// falls short of the statutory standard. Figures are compared with what the demo data held before,
// so the test does not depend on what else the demo contains.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { testHarbour } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { councilNextSchoolDay, nextSchoolDayFor } from '../src/organisations/calendars.ts'
import {
  acknowledgementTimes, councilChildren, lateNotifications, reviewQueue, reviewsAtRisk, settingsNotSignedUp, todaysNotifications, unacknowledgedNotifications
} from '../src/encompass/dashboard.ts'
import { londonDay } from '../src/encompass/dashboard-rules.ts'
import { parseCsv } from '../src/platform/csv.ts'
import { lonePupil } from '../src/encompass/demo.ts'

let harbour: TestHarbour
let policeKey = ''
let officer: { userId: string, cookies: Record<string, string> }
let pupil: { first_name: string, last_name: string, date_of_birth: string | null, address: string, postcode: string }
/** the moment just after the incidents are posted, and an hour after the last of their deadlines */
let early: Date
let late: Date
const REF = 'HPF/DASH'
const MINUTE = 60_000

interface Ours { id: string, ref: string, position: number, kind: string, created: Date, deadline: Date }
let ours: Ours[] = []
const find = (ref: string, position: number) => {
  const found = ours.find((n) => n.ref === `${REF}/${ref}` && n.position === position)
  assert.ok(found, `a notification for ${REF}/${ref} child ${position + 1}`)
  return found
}

/** Every list, whole, at a moment: taken before the incidents are posted and after, to compare. */
async function snapshot(now: Date) {
  const db = harbour.services.db
  return {
    today: await todaysNotifications(db, now, 'all'),
    late: await lateNotifications(db, now, 'all'),
    unacknowledged: await unacknowledgedNotifications(db, now, 'all'),
    council: await councilChildren(db, now, 'all'),
    review: await reviewQueue(db, now, 120, 'all')
  }
}
let beforeEarly: Awaited<ReturnType<typeof snapshot>>
let beforeLate: Awaited<ReturnType<typeof snapshot>>

const send = (body: unknown) => harbour.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${policeKey}` }, payload: body as Record<string, unknown> })

function report(reference: string, children: Array<Record<string, unknown>>) {
  return {
    policeReference: `${REF}/${reference}`, occurredAt: new Date(Date.now() - 2 * 3600_000).toISOString(), location: 'Home address (synthetic)',
    circumstances: 'Police attended a domestic abuse incident (synthetic)', riskGrade: 'standard',
    adults: [{ label: 'A', firstName: 'Sam', lastName: 'Synthetic' }], children
  }
}

before(async () => {
  harbour = await testHarbour({ demo: true })
  const db = harbour.services.db
  const police = await db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
  policeKey = (await harbour.services.apiKeys.create(police.id, 'records system', { label: 'test' })).key
  officer = await harbour.person(['encompass_officer'])
  pupil = (await lonePupil(db, '990001'))!

  // the deadlines the intake will give, so the moments to look from are known before anything is posted
  const receivedAt = new Date()
  const expectedDeadlines = [await nextSchoolDayFor(db, '990001', receivedAt), await councilNextSchoolDay(db, receivedAt)]
  early = new Date(receivedAt.getTime() + 5000)
  late = new Date(Math.max(...expectedDeadlines.map((d) => d.getTime())) + 60 * MINUTE)
  beforeEarly = await snapshot(early)
  beforeLate = await snapshot(late)

  const onRoll = { firstName: pupil.first_name, lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true }
  const responses = [
    // to the school, to the council (on no roll), excluded (an adult), to review (a possible twin)
    await send(report('1', [
      onRoll,
      { firstName: 'Eilidh', lastName: 'Featherstonehaugh', dateOfBirth: '2014-08-30', address: '9 Kestrel Way', postcode: 'B90 4QR', present: false },
      { firstName: 'Theo', lastName: 'Synthetic', dateOfBirth: '2006-01-02', present: true },
      { firstName: 'Zebedee', lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true }
    ])),
    await send(report('2', [onRoll, { firstName: 'Rowan', lastName: 'Quillfeather', dateOfBirth: '2013-03-03', address: '2 Heron Close', postcode: 'B91 1AA', present: true }])),
    await send(report('3', [onRoll]))
  ]
  for (const response of responses) assert.equal(response.statusCode, 201, response.body)
  assert.deepEqual(responses[0]!.json().children.map((c: { route: string }) => c.route), ['setting', 'local-authority', 'excluded', 'review'])

  ours = (await db.selectFrom('encompass_notification as n').innerJoin('incident as i', 'i.id', 'n.incident_id')
    .select(['n.id', 'i.police_reference as ref', 'n.child_position as position', 'n.recipient_kind as kind', 'n.created_at as created', 'n.deadline'])
    .where('i.police_reference', 'like', `${REF}/%`).execute())
  assert.equal(ours.length, 5, 'five notifications: three to the school, two to the council')
  for (const n of ours) assert.ok(n.deadline.getTime() <= late.getTime() - 60 * MINUTE, `deadline ${n.deadline.toISOString()} as the calendar said`)

  // incident 1's child at school: opened as it arrived, acknowledged 30 minutes later
  const s1 = find('1', 0)
  await db.updateTable('encompass_notification').set({ first_opened_at: s1.created, acknowledged_at: new Date(s1.created.getTime() + 30 * MINUTE), acknowledged_by_label: 'test' }).where('id', '=', s1.id).execute()
  // incident 3's: opened and acknowledged 10 minutes after it arrived
  const s3 = find('3', 0)
  await db.updateTable('encompass_notification').set({ first_opened_at: new Date(s3.created.getTime() + 10 * MINUTE), acknowledged_at: new Date(s3.created.getTime() + 10 * MINUTE), acknowledged_by_label: 'test' }).where('id', '=', s3.id).execute()
  // incident 1's child with the council: opened and acknowledged only after the deadline
  const c1 = find('1', 1)
  await db.updateTable('encompass_notification').set({ first_opened_at: new Date(c1.deadline.getTime() + 15 * MINUTE), acknowledged_at: new Date(c1.deadline.getTime() + 20 * MINUTE), acknowledged_by_label: 'test' }).where('id', '=', c1.id).execute()
  // incident 2's two children: nobody has opened theirs
})
after(() => harbour.stop())

const mine = <T extends { policeReference: string }>(rows: T[]) => rows.filter((row) => row.policeReference.startsWith(`${REF}/`))
const keyOf = (row: { policeReference: string, child: number }) => `${row.policeReference.slice(REF.length + 1)}:${row.child}`

test('today\'s notifications, by deadline status, before and after the deadline', async () => {
  const atEarly = await todaysNotifications(harbour.services.db, early, 'all')
  assert.equal(atEarly.total - beforeEarly.today.total, 5, 'all five were sent today')
  assert.deepEqual(mine(atEarly.rows).map((r) => r.status).sort(), ['on-time', 'on-time', 'opened-late', 'pending', 'pending'])
  assert.equal(atEarly.counts.pending - beforeEarly.today.counts.pending, 2)

  const atLate = await todaysNotifications(harbour.services.db, late, 'all')
  const lateDay = londonDay(late)
  const dueThatDay = ours.every((n) => n.deadline >= lateDay.start && n.deadline < lateDay.end)
  assert.ok(dueThatDay, 'the school and the council share a calendar, so all five fall due the same day')
  assert.equal(atLate.total - beforeLate.today.total, 5)
  const delta = (status: 'on-time' | 'pending' | 'opened-late' | 'late') => atLate.counts[status] - beforeLate.today.counts[status]
  assert.equal(delta('on-time'), 2, 'opened before the deadline')
  assert.equal(delta('opened-late'), 1, 'opened after it')
  assert.equal(delta('late'), 2, 'not opened at all')
  assert.equal(delta('pending'), 0)
  const statuses = Object.fromEntries(mine(atLate.rows).map((r) => [keyOf(r), r.status]))
  assert.deepEqual(statuses, { '1:1': 'on-time', '1:2': 'opened-late', '2:1': 'late', '2:2': 'late', '3:1': 'on-time' })

  const paged = await todaysNotifications(harbour.services.db, late, { page: 2, pageSize: 2 })
  assert.equal(paged.total, atLate.total)
  assert.deepEqual(paged.rows.map((r) => r.id), atLate.rows.slice(2, 4).map((r) => r.id))
})

test('late notifications: still unopened first, then opened late', async () => {
  const list = await lateNotifications(harbour.services.db, late, 'all')
  assert.equal(list.total - beforeLate.late.total, 3)
  assert.equal(list.unopened - beforeLate.late.unopened, 2)
  const keys = mine(list.rows).map(keyOf)
  assert.deepEqual(keys.slice(0, 2).sort(), ['2:1', '2:2'], 'the two nobody opened first')
  assert.deepEqual(keys.slice(2), ['1:2'], 'then the one opened after its deadline')
  for (const row of list.rows) assert.ok(row.status === 'late' || row.status === 'opened-late', `${row.policeReference} is late`)
  const firstOpenedLate = list.rows.findIndex((r) => r.status === 'opened-late')
  assert.ok(list.rows.slice(firstOpenedLate).every((r) => r.status === 'opened-late'), 'every unopened one comes before every opened one')

  const atEarly = await lateNotifications(harbour.services.db, early, 'all')
  assert.deepEqual(mine(atEarly.rows).map(keyOf), ['1:2'], 'before the deadline only the one opened after it counts as late')
})

test('unacknowledged notifications, soonest deadline first, with those past the deadline counted', async () => {
  const atEarly = await unacknowledgedNotifications(harbour.services.db, early, 'all')
  assert.equal(atEarly.total - beforeEarly.unacknowledged.total, 2)
  assert.equal(atEarly.overdue - beforeEarly.unacknowledged.overdue, 0)
  assert.deepEqual(mine(atEarly.rows).map(keyOf).sort(), ['2:1', '2:2'])
  const atLate = await unacknowledgedNotifications(harbour.services.db, late, 'all')
  assert.equal(atLate.overdue - beforeLate.unacknowledged.overdue, 2)
  const deadlines = atLate.rows.map((r) => r.deadline.getTime())
  assert.deepEqual(deadlines, [...deadlines].sort((a, b) => a - b))
})

test('children routed to the council, with the reason, unacknowledged first', async () => {
  const list = await councilChildren(harbour.services.db, late, 'all')
  assert.equal(list.total - beforeLate.council.total, 2)
  assert.equal(list.unacknowledged - beforeLate.council.unacknowledged, 1)
  const rows = mine(list.rows)
  assert.deepEqual(rows.map(keyOf), ['2:2', '1:2'])
  for (const row of rows) {
    assert.equal(row.recipientKind, 'council')
    assert.match(row.reason ?? '', /Not found on any school roll/)
  }
})

test('the review queue by age, and a decision at risk of missing its deadline', async () => {
  const db = harbour.services.db
  const queue = await reviewQueue(db, early, 120, 'all')
  assert.equal(queue.total - beforeEarly.review.total, 1)
  const [twin] = mine(queue.rows)
  assert.ok(twin, 'the possible twin waits for review')
  assert.equal(twin.child, 4)
  assert.ok(twin.deadline, 'with the deadline its setting must hear by')
  const waiting = queue.rows.map((r) => r.waitingSince.getTime())
  assert.deepEqual(waiting, [...waiting].sort((a, b) => a - b), 'oldest first')

  const deadline = twin.deadline.getTime()
  const at = (minutesBefore: number) => new Date(deadline - minutesBefore * MINUTE)
  const flagAt = async (now: Date) => mine((await reviewQueue(db, now, 120, 'all')).rows)[0]?.atRisk
  assert.equal(await flagAt(at(180)), false, 'three hours ahead: not yet at risk')
  assert.equal(await flagAt(at(60)), true, 'one hour ahead: at risk')
  assert.equal(await flagAt(at(-1)), true, 'past the deadline: at risk')
  const passedAt = async (now: Date) => mine((await reviewQueue(db, now, 120, 'all')).rows)[0]?.deadlinePassed
  assert.equal(await passedAt(at(60)), false)
  assert.equal(await passedAt(at(-1)), true, 'and shown as past it')
  assert.equal((await reviewQueue(db, at(60), 30, 'all')).rows.find((r) => r.id === twin.id)?.atRisk, false, 'the window is the partnership\'s to set')
  const beforeRisk = (await reviewQueue(db, at(180), 120, 'all')).atRisk
  assert.equal((await reviewQueue(db, at(60), 120, 'all')).atRisk - beforeRisk, 1)
  assert.ok((await reviewsAtRisk(db, at(60), 120)).some((r) => r.id === twin.id))
  assert.ok(!(await reviewsAtRisk(db, at(180), 120)).some((r) => r.id === twin.id))
})

test('settings not signed up, and how far the partnership is towards 100%', async () => {
  const db = harbour.services.db
  const start = await settingsNotSignedUp(db, 'all')
  const organisation = await db.insertInto('organisation').values({ reference: 'URN-998877', name: 'Kingfisher Nursery and Infant School', type: 'education_setting', urn: '998877' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('education_setting').values({ organisation_id: organisation.id, urn: '998877', status: 'Open', phase: 'Primary', encompass_signed_up: false, statutory_low_age: 3, statutory_high_age: 7, calendar_id: null }).execute()
  // a closed school is not one to sign up
  const closed = await db.insertInto('organisation').values({ reference: 'URN-998878', name: 'Old Mill School (closed)', type: 'education_setting', urn: '998878' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('education_setting').values({ organisation_id: closed.id, urn: '998878', status: 'Closed', encompass_signed_up: false, statutory_low_age: 4, statutory_high_age: 11, calendar_id: null }).execute()

  const notSignedUp = await settingsNotSignedUp(db, 'all')
  assert.equal(notSignedUp.settings, start.settings + 1)
  assert.equal(notSignedUp.ready, start.ready)
  assert.equal(notSignedUp.total, start.total + 1)
  assert.equal(notSignedUp.percentReady, Math.floor((start.ready / (start.settings + 1)) * 1000) / 10)
  assert.ok(notSignedUp.percentReady! < 100)
  assert.deepEqual(notSignedUp.rows.find((r) => r.urn === '998877'), { urn: '998877', name: 'Kingfisher Nursery and Infant School', phase: 'Primary', type: '', signedUp: false, leadNamed: false, waiting: 0 })
  assert.ok(!notSignedUp.rows.some((r) => r.urn === '998878'))

  await db.updateTable('education_setting').set({ encompass_signed_up: true }).where('urn', '=', '998877').execute()
  const noLead = await settingsNotSignedUp(db, 'all')
  assert.equal(noLead.ready, start.ready, 'signed up, but nobody to receive notifications')
  assert.equal(noLead.rows.find((r) => r.urn === '998877')?.leadNamed, false)

  const lead = await db.insertInto('app_user').values({
    email: 'dsl@kingfisher.test.harbour.invalid', display_name: 'Kingfisher DSL', organisation_id: organisation.id, password_hash: null,
    status: 'active', is_demo: false, team_id: null, totp_secret: null, totp_last_step: null
  }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('safeguarding_contact').values({ organisation_id: organisation.id, user_id: lead.id, kind: 'lead' }).execute()
  const ready = await settingsNotSignedUp(db, 'all')
  assert.equal(ready.ready, start.ready + 1)
  assert.equal(ready.total, start.total)
  assert.ok(!ready.rows.some((r) => r.urn === '998877'))

  // a lead who can no longer sign in is no lead
  await db.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', lead.id).execute()
  assert.equal((await settingsNotSignedUp(db, 'all')).ready, start.ready)
  await db.updateTable('app_user').set({ status: 'active' }).where('id', '=', lead.id).execute()
})

test('acknowledgement time per setting: the median and how many', async () => {
  const db = harbour.services.db
  const times = await acknowledgementTimes(db, 'all')
  const meadowbank = times.rows.find((r) => r.urn === '990001')
  assert.ok(meadowbank, 'the school that acknowledged has a row')
  // worked out here from every acknowledged notification the school has, independently of the query
  const acknowledged = await db.selectFrom('encompass_notification').select(['created_at', 'acknowledged_at'])
    .where('setting_urn', '=', '990001').where('superseded_at', 'is', null).where('acknowledged_at', 'is not', null).execute()
  const minutes = acknowledged.map((n) => (n.acknowledged_at!.getTime() - n.created_at.getTime()) / MINUTE).sort((a, b) => a - b)
  const middle = Math.floor(minutes.length / 2)
  const median = minutes.length % 2 ? minutes[middle]! : (minutes[middle - 1]! + minutes[middle]!) / 2
  assert.equal(meadowbank.acknowledged, minutes.length)
  assert.ok(minutes.length >= 2)
  assert.ok(Math.abs(meadowbank.medianMinutes - median) < 0.01, `median ${meadowbank.medianMinutes} is ${median}`)
  if (minutes.length === 2) assert.ok(Math.abs(meadowbank.medianMinutes - 20) < 0.01, 'the middle of 10 and 30 minutes')
  assert.ok(!times.rows.some((r) => r.name === 'Harbourshire City Council'), 'the council is not a setting')
  assert.ok(times.overallMedianMinutes !== null)
})

test('the page: figures, lists without children\'s names, and the view is audited', async () => {
  const response = await harbour.app.inject({ method: 'GET', url: '/encompass', cookies: officer.cookies })
  assert.equal(response.statusCode, 200)
  assert.match(response.body, /<h1 class="govuk-heading-l">Operation Encompass<\/h1>/)
  assert.match(response.body, /HPF\/DASH\/2/)
  assert.match(response.body, /Children waiting for review/)
  assert.match(response.body, /href="\/encompass\/export\/late\.csv"/)
  for (const name of ['Featherstonehaugh', 'Quillfeather', 'Zebedee', pupil.last_name]) assert.ok(!response.body.includes(name), `no child's name (${name}) on the page`)
  assert.ok(!response.body.includes('falls short of the statutory standard'), 'the statutory rule needs no warning')
  const audit = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'encompass-dashboard-view').where('actor_user_id', '=', officer.userId).execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.record_type, 'encompass-dashboard')

  const paged = await harbour.app.inject({ method: 'GET', url: '/encompass?late=2&review=abc', cookies: officer.cookies })
  assert.equal(paged.statusCode, 200, 'a page past the end, or nonsense, is still a page')
})

test('a review decision at risk shows in an alert on the dashboard, linked to the child, and on the review queue', async () => {
  const db = harbour.services.db
  const twin = await db.selectFrom('incident_child as c').innerJoin('incident as i', 'i.id', 'c.incident_id')
    .select(['c.id', 'c.match_review_id', 'c.deadline']).where('i.police_reference', '=', `${REF}/1`).where('c.route', '=', 'review').executeTakeFirstOrThrow()
  await db.updateTable('incident_child').set({ deadline: new Date(Date.now() + 30 * MINUTE) }).where('id', '=', twin.id).execute()
  try {
    const page = await harbour.app.inject({ method: 'GET', url: '/encompass', cookies: officer.cookies })
    assert.match(page.body, /Deadlines at risk/)
    assert.match(page.body, /role="alert"/)
    assert.ok(page.body.includes(`href="/review/${twin.match_review_id}"`), 'the alert links to the child in the review queue')
    const queue = await harbour.app.inject({ method: 'GET', url: '/review', cookies: officer.cookies })
    assert.match(queue.body, /At risk/)

    await db.updateTable('incident_child').set({ deadline: new Date(Date.now() + 24 * 60 * MINUTE) }).where('id', '=', twin.id).execute()
    const calm = await harbour.app.inject({ method: 'GET', url: '/encompass', cookies: officer.cookies })
    assert.ok(!calm.body.includes(`class="govuk-notification-banner__link" href="/review/${twin.match_review_id}"`), 'a day ahead, the child is not in the alert')
  } finally {
    await db.updateTable('incident_child').set({ deadline: twin.deadline }).where('id', '=', twin.id).execute()
  }
})

test('each list exports as CSV with a header row, as an attachment, audited', async () => {
  const get = async (list: string) => {
    const response = await harbour.app.inject({ method: 'GET', url: `/encompass/export/${list}.csv`, cookies: officer.cookies })
    assert.equal(response.statusCode, 200, `${list}: ${response.body.slice(0, 200)}`)
    assert.match(String(response.headers['content-type']), /^text\/csv/)
    assert.match(String(response.headers['content-disposition']), new RegExp(`^attachment; filename="encompass-${list}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`))
    for (const name of ['Featherstonehaugh', 'Quillfeather', 'Zebedee']) assert.ok(!response.body.includes(name), `no child's name in ${list}.csv`)
    const [header, ...rows] = parseCsv(response.body).map((row) => row.values)
    return { header: header!, rows }
  }
  const ours = (rows: string[][]) => rows.filter((row) => row.some((cell) => cell.startsWith(`${REF}/`)))

  const today = await get('today')
  assert.deepEqual(today.header.slice(0, 3), ['Police force', 'Police reference', 'Child in report'])
  assert.equal(ours(today.rows).length, 5)
  const late = await get('late')
  // now (before the deadline) only the one opened after its deadline is late
  assert.deepEqual(ours(late.rows).map((row) => [row[1], row[2], row[8]]), [[`${REF}/1`, '2', 'Opened late']])
  const unacknowledged = await get('unacknowledged')
  assert.deepEqual(ours(unacknowledged.rows).map((row) => `${row[1]}:${row[2]}`).sort(), [`${REF}/2:1`, `${REF}/2:2`])
  const council = await get('council')
  assert.equal(council.header.at(-1), 'Why the council')
  assert.equal(ours(council.rows).length, 2)
  const review = await get('review')
  assert.equal(review.header[0], 'Review item')
  assert.equal(ours(review.rows).length, 1)
  assert.equal(ours(review.rows)[0]![3], '4')
  const settings = await get('settings')
  assert.equal(settings.header[0], 'URN')
  assert.ok(settings.rows.every((row) => row.length === settings.header.length))
  const acknowledgement = await get('acknowledgement')
  const meadowbank = acknowledgement.rows.find((row) => row[0] === '990001')
  assert.ok(meadowbank)
  assert.equal(meadowbank[1], 'Meadowbank Primary School')

  const exports = await harbour.services.db.selectFrom('audit_event').select(['details']).where('action', '=', 'encompass-dashboard-export').where('actor_user_id', '=', officer.userId).orderBy('id').execute()
  assert.deepEqual(exports.map((e) => (e.details as { list: string }).list), ['today', 'late', 'unacknowledged', 'council', 'review', 'settings', 'acknowledgement'])
  assert.equal((exports[0]!.details as { rows: number }).rows, today.rows.length)

  const unknown = await harbour.app.inject({ method: 'GET', url: '/encompass/export/children.csv', cookies: officer.cookies })
  assert.equal(unknown.statusCode, 404)
})

test('a school\'s safeguarding lead and police staff may not see it, and the refusal is audited', async () => {
  const dsl = await harbour.person(['designated_safeguarding_lead'], { organisationType: 'education_setting' })
  const police = await harbour.person(['police_officer'], { organisationType: 'police_force' })
  for (const person of [dsl, police]) {
    for (const url of ['/encompass', '/encompass/export/late.csv']) {
      const response = await harbour.app.inject({ method: 'GET', url, cookies: person.cookies })
      assert.equal(response.statusCode, 403, url)
      assert.ok(!response.body.includes(`${REF}/`))
    }
    const denied = await harbour.services.db.selectFrom('audit_event').select(sql<string>`details->>'permission'`.as('permission'))
      .where('action', '=', 'access-denied').where('actor_user_id', '=', person.userId).execute()
    assert.deepEqual(denied.map((d) => d.permission), ['encompass-dashboard:view', 'encompass-dashboard:view'])
    const viewed = await harbour.services.db.selectFrom('audit_event').select('id').where('action', 'in', ['encompass-dashboard-view', 'encompass-dashboard-export']).where('actor_user_id', '=', person.userId).execute()
    assert.equal(viewed.length, 0)
  }
  const signedOut = await harbour.app.inject({ method: 'GET', url: '/encompass' })
  assert.equal(signedOut.statusCode, 303)
  assert.equal(signedOut.headers.location, '/sign-in')
  const stranger = await harbour.app.inject({ method: 'GET', url: `/encompass/export/${randomUUID()}.csv` })
  assert.equal(stranger.statusCode, 303)
})

test('with an older local deadline rule, the dashboard says plainly that it falls short of the statutory standard', async () => {
  const local = await testHarbour({ demo: true, env: { ENCOMPASS_DEADLINE_RULE: 'local-noon' } })
  try {
    const person = await local.person(['encompass_officer'])
    const response = await local.app.inject({ method: 'GET', url: '/encompass', cookies: person.cookies })
    assert.equal(response.statusCode, 200)
    const warning = /id="deadline-rule-warning">([\s\S]*?)<\/div>/.exec(response.body)?.[1] ?? ''
    assert.match(warning, /falls short of the statutory standard/)
    assert.match(warning, /by noon of the next school day/)
    assert.match(warning, /Domestic Abuse Act 2021, section 49A/)
    assert.match(warning, /7 November 2025/)
  } finally {
    await local.stop()
  }
})
