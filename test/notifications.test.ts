// Notifications out: the setting's DSL and deputies are emailed (nothing about the child in the email),
// the DSL opens (audited), acknowledges and records what the school did; no setting sees another's
// child, on the web or through the API; an amendment re-notifies only when what the school sees changed;
// escalation to the deputies then the council; children routed to the council; review decisions.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { EncompassNotifications } from '../src/encompass/notifications.ts'
import { testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { lonePupil } from '../src/encompass/demo.ts'

let harbour: TestHarbour
let policeKey = ''
let meadowbankKey = ''
let riversideKey = ''
let meadowbankDsl: Record<string, string> = {}
let riversideDsl: Record<string, string> = {}
let councilOfficer: Record<string, string> = {}
type Pupil = { id: string, first_name: string, last_name: string, date_of_birth: string | null, address: string, postcode: string }
let meadowbankPupil: Pupil
let riversidePupil: Pupil


before(async () => {
  harbour = await testHarbour({ demo: true, env: { ENCOMPASS_ESCALATION_MINUTES: '30' } })
  const db = harbour.services.db
  const idOf = async (reference: string) => (await db.selectFrom('organisation').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id
  policeKey = (await harbour.services.apiKeys.create(await idOf('HPF'), 'records system', { label: 'test' })).key
  meadowbankKey = (await harbour.services.apiKeys.create(await idOf('URN-990001'), 'Meadowbank MIS', { label: 'test' })).key
  riversideKey = (await harbour.services.apiKeys.create(await idOf('URN-990002'), 'Riverside MIS', { label: 'test' })).key
  meadowbankDsl = await harbour.sessionAs('dsl@meadowbank.harbour.invalid')
  riversideDsl = await harbour.sessionAs('dsl@riverside.harbour.invalid')
  councilOfficer = await harbour.sessionAs('encompass@council.harbour.invalid')
  meadowbankPupil = (await lonePupil(harbour.services.db, '990001'))!
  riversidePupil = (await lonePupil(harbour.services.db, '990002'))!
})
after(() => harbour.stop())

const OCCURRED_AT = new Date(Date.now() - 2 * 3600_000).toISOString()
const childOf = (p: Pupil) => ({ firstName: p.first_name, lastName: p.last_name, dateOfBirth: p.date_of_birth, address: p.address, postcode: p.postcode, present: true, spokenTo: true, voiceOfChild: 'Said they were frightened (synthetic)' })

function report(reference: string, children: unknown[], extra: Record<string, unknown> = {}) {
  return {
    policeReference: reference, occurredAt: OCCURRED_AT, location: 'Home address (synthetic)', circumstances: 'Adult B assaulted adult A; police attended (synthetic)', riskGrade: 'high',
    adults: [{ label: 'A', firstName: 'Sam', lastName: 'Synthetic' }, { label: 'B', firstName: 'Lee', lastName: 'Synthetic' }],
    children, ...extra
  }
}

async function post(body: unknown) {
  const response = await harbour.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${policeKey}` }, payload: body as Record<string, unknown> })
  assert.ok(response.statusCode === 201 || response.statusCode === 200, response.body)
  return response.json() as { id: string }
}

async function notificationsOf(incidentId: string) {
  return await harbour.services.db.selectFrom('encompass_notification').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').execute()
}

async function mailsAbout(notificationId: string) {
  return await harbour.services.db.selectFrom('encompass_delivery as d').innerJoin('mail_message as m', 'm.id', 'd.mail_message_id')
    .select(['d.reason', 'm.recipient', 'm.subject', 'm.body']).where('d.notification_id', '=', notificationId).orderBy('m.created_at').execute()
}

const page = (url: string, cookies: Record<string, string>) => harbour.app.inject({ method: 'GET', url, cookies })
const form = (url: string, cookies: Record<string, string>, fields: Record<string, string> = {}) =>
  harbour.app.inject({ method: 'POST', url, cookies, payload: new URLSearchParams({ _csrf: tokenFor(harbour, cookies), ...fields }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })

test('the DSL and the deputy are emailed that a notification is waiting, with a link and nothing about the child', async () => {
  const { id } = await post(report('HPF/N/1', [childOf(meadowbankPupil)]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  assert.equal(notification.recipient_kind, 'setting')
  assert.equal(notification.setting_urn, '990001')
  const mails = await mailsAbout(notification.id)
  assert.deepEqual(mails.map((m) => m.recipient).sort(), ['deputy@meadowbank.harbour.invalid', 'dsl@meadowbank.harbour.invalid'])
  for (const mail of mails) {
    assert.equal(mail.reason, 'notify')
    assert.ok(mail.body.includes(`/notifications/${notification.id}`), 'the email links to the notification')
    for (const secret of [meadowbankPupil.first_name, meadowbankPupil.last_name, 'HPF/N/1', 'Synthetic', meadowbankPupil.postcode]) {
      assert.ok(!mail.body.includes(secret) && !mail.subject.includes(secret), `the email does not contain "${secret}"`)
    }
  }
})

test('the DSL opens the notification (audited, first opening recorded), acknowledges it and records what the school did', async () => {
  const { id } = await post(report('HPF/N/2', [childOf(meadowbankPupil)]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  const inbox = await page('/notifications', meadowbankDsl)
  assert.equal(inbox.statusCode, 200)
  assert.ok(inbox.body.includes(`/notifications/${notification.id}`))

  const shown = await page(`/notifications/${notification.id}`, meadowbankDsl)
  assert.equal(shown.statusCode, 200, shown.body)
  assert.ok(shown.body.includes(meadowbankPupil.last_name))
  assert.ok(shown.body.includes('Said they were frightened'), 'full content policy shows the voice of the child')
  const views = await harbour.services.db.selectFrom('audit_event').select(['actor_label', 'action']).where('record_type', '=', 'encompass-notification').where('record_id', '=', notification.id).execute()
  assert.ok(views.some((v) => v.action === 'encompass-notification-view' && v.actor_label === 'dsl@meadowbank.harbour.invalid'), 'the view is in the audit trail under the DSL')
  const pupilViews = await harbour.services.db.selectFrom('audit_event').select('action').where('record_type', '=', 'pupil').where('record_id', '=', meadowbankPupil.id).where('action', '=', 'pupil-view').execute()
  assert.ok(pupilViews.length >= 1, 'and as a view of the pupil')
  const opened = await harbour.services.db.selectFrom('encompass_notification').select(['first_opened_at', 'acknowledged_at']).where('id', '=', notification.id).executeTakeFirstOrThrow()
  assert.ok(opened.first_opened_at)
  assert.equal(opened.acknowledged_at, null)

  const ack = await form(`/notifications/${notification.id}/acknowledgement`, meadowbankDsl)
  assert.equal(ack.statusCode, 303)
  const acknowledged = await harbour.services.db.selectFrom('encompass_notification').select(['acknowledged_at', 'acknowledged_by_label']).where('id', '=', notification.id).executeTakeFirstOrThrow()
  assert.ok(acknowledged.acknowledged_at)
  assert.equal(acknowledged.acknowledged_by_label, 'dsl@meadowbank.harbour.invalid')

  const bad = await form(`/notifications/${notification.id}/response`, meadowbankDsl, { support: 'silent', parentContact: 'not-contacted', parentContactReason: '' })
  assert.equal(bad.statusCode, 400)
  for (const field of ['#welfareCheck', '#parentContactReason', '#mashReferral']) assert.ok(bad.body.includes(`href="${field}"`), `the error summary links to ${field}`)
  assert.equal(await harbour.services.db.selectFrom('encompass_response').select('notification_id').where('notification_id', '=', notification.id).executeTakeFirst(), undefined)

  const good = await form(`/notifications/${notification.id}/response`, meadowbankDsl, {
    support: 'silent', welfareCheck: 'yes', parentContact: 'not-contacted', parentContactReason: 'Contact could alert the perpetrator (synthetic)', mashReferral: 'no', staffTold: 'Class teacher'
  })
  assert.equal(good.statusCode, 303, good.body)
  const response = await harbour.services.db.selectFrom('encompass_response').selectAll().where('notification_id', '=', notification.id).executeTakeFirstOrThrow()
  assert.equal(response.support, 'silent')
  assert.equal(response.welfare_check, true)
  assert.equal(response.parent_contact, 'not-contacted')
  const recorded = await harbour.services.db.selectFrom('audit_event').select('action').where('record_id', '=', notification.id).where('action', '=', 'encompass-response-record').execute()
  assert.equal(recorded.length, 1)
})

test('a setting never sees another setting\'s child: not in its inbox, not by id on the web, not through its API key', async () => {
  const { id } = await post(report('HPF/N/3', [childOf(meadowbankPupil)]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  const riversideInbox = await page('/notifications', riversideDsl)
  assert.equal(riversideInbox.statusCode, 200)
  assert.ok(!riversideInbox.body.includes(notification.id))
  assert.ok(!riversideInbox.body.includes(meadowbankPupil.last_name))
  assert.equal((await page(`/notifications/${notification.id}`, riversideDsl)).statusCode, 404)
  assert.equal((await form(`/notifications/${notification.id}/acknowledgement`, riversideDsl)).statusCode, 404)

  const own = await harbour.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: `Bearer ${meadowbankKey}` } })
  assert.ok((own.json().notifications as Array<{ id: string }>).some((n) => n.id === notification.id), 'its own setting\'s key sees it')
  const list = await harbour.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: `Bearer ${riversideKey}` } })
  assert.equal(list.statusCode, 200)
  assert.ok(!(list.json().notifications as Array<{ id: string }>).some((n) => n.id === notification.id))
  const ack = await harbour.app.inject({ method: 'POST', url: `/api/v1/notifications/${notification.id}/acknowledgement`, headers: { authorization: `Bearer ${riversideKey}` } })
  assert.equal(ack.statusCode, 404)
  const still = await harbour.services.db.selectFrom('encompass_notification').select('acknowledged_at').where('id', '=', notification.id).executeTakeFirstOrThrow()
  assert.equal(still.acknowledged_at, null)
  // and the police key cannot read notifications at all
  assert.equal((await harbour.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: `Bearer ${policeKey}` } })).statusCode, 403)
})

test('a school system pulls its notifications, unacknowledged first, and acknowledges once (a retry keeps the first time)', async () => {
  const { id } = await post(report('HPF/N/4', [childOf(riversidePupil)]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  const pull = async () => (await harbour.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: `Bearer ${riversideKey}` } })).json().notifications as Array<Record<string, string | null>>
  const before = await pull()
  const mine = before.find((n) => n.id === notification.id)
  assert.ok(mine)
  assert.equal(mine.childName, `${riversidePupil.first_name} ${riversidePupil.last_name}`)
  assert.equal(mine.dateOfBirth, riversidePupil.date_of_birth)
  assert.equal(mine.policeReference, 'HPF/N/4')
  assert.ok(mine.occurredAt && mine.deadline)
  assert.equal(mine.acknowledgedAt, null)

  const first = await harbour.app.inject({ method: 'POST', url: `/api/v1/notifications/${notification.id}/acknowledgement`, headers: { authorization: `Bearer ${riversideKey}` } })
  assert.equal(first.statusCode, 200, first.body)
  const retry = await harbour.app.inject({ method: 'POST', url: `/api/v1/notifications/${notification.id}/acknowledgement`, headers: { authorization: `Bearer ${riversideKey}` } })
  assert.equal(retry.json().acknowledgedAt, first.json().acknowledgedAt)
  const audit = await harbour.services.db.selectFrom('audit_event').select('actor_label').where('record_id', '=', notification.id).where('action', '=', 'encompass-notification-acknowledge').execute()
  assert.equal(audit.length, 1, 'acknowledged once')
  assert.match(audit[0]!.actor_label, /Riverside MIS/)

  // a second, unacknowledged one comes before it
  const { id: later } = await post(report('HPF/N/5', [childOf(riversidePupil)]))
  const [second] = await notificationsOf(later)
  const after = await pull()
  const order = after.map((n) => n.id)
  assert.ok(order.indexOf(second!.id) < order.indexOf(notification.id), 'unacknowledged first')
  // the earlier one is in this child's chronology at Riverside
  const shown = await page(`/notifications/${second!.id}`, riversideDsl)
  assert.ok(shown.body.includes('HPF/N/4'), 'the chronology lists the earlier notification')
})

test('an amendment re-notifies only when what the school sees has changed', async () => {
  const child = childOf(meadowbankPupil)
  const { id } = await post(report('HPF/N/6', [child]))
  const [original] = await notificationsOf(id)
  assert.ok(original)
  const mailsBefore = (await mailsAbout(original.id)).length

  // the adults' dates of birth are not shown to the school: a new version, the same notification, no new email
  await post(report('HPF/N/6', [child], { adults: [{ label: 'A', firstName: 'Sam', lastName: 'Synthetic', dateOfBirth: '1990-01-01' }, { label: 'B', firstName: 'Lee', lastName: 'Synthetic' }] }))
  const afterInvisible = await notificationsOf(id)
  assert.equal(afterInvisible.length, 1)
  assert.equal(afterInvisible[0]!.superseded_at, null)
  assert.equal((await mailsAbout(original.id)).length, mailsBefore)
  const version = await harbour.services.db.selectFrom('incident').select('version').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(version.version, 2)

  // the circumstances are shown (full policy): a new notification, the old one superseded by it
  await post(report('HPF/N/6', [child], { circumstances: 'Corrected account of what happened (synthetic)', adults: [{ label: 'A', firstName: 'Sam', lastName: 'Synthetic', dateOfBirth: '1990-01-01' }, { label: 'B', firstName: 'Lee', lastName: 'Synthetic' }] }))
  const afterVisible = await notificationsOf(id)
  assert.equal(afterVisible.length, 2)
  const [old, replacement] = afterVisible
  assert.ok(old!.superseded_at)
  assert.equal(old!.superseded_by, replacement!.id)
  assert.equal(replacement!.superseded_at, null)
  assert.equal(replacement!.incident_version, 3)
  assert.ok((await mailsAbout(replacement!.id)).length >= 1, 'the setting is told again')
  const inbox = await page('/notifications', meadowbankDsl)
  assert.ok(inbox.body.includes(replacement!.id) && !inbox.body.includes(`/notifications/${old!.id}"`), 'the inbox shows only the current version')
})

test('an unopened notification escalates to the deputies after the deadline and margin, then to the council', async () => {
  const { id } = await post(report('HPF/N/7', [childOf(meadowbankPupil)]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  const deadline = notification.deadline.getTime()
  const minutes = (n: number) => n * 60_000
  const notifications = harbour.services.notifications
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(29))), 'not-yet')
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(31))), 'deputies')
  let mails = await mailsAbout(notification.id)
  assert.deepEqual(mails.filter((m) => m.reason === 'escalate-deputies').map((m) => m.recipient), ['deputy@meadowbank.harbour.invalid'])
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(45))), 'not-yet')
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(61))), 'council')
  mails = await mailsAbout(notification.id)
  assert.deepEqual(mails.filter((m) => m.reason === 'escalate-council').map((m) => m.recipient), ['encompass@council.harbour.invalid'])
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(120))), 'not-needed', 'nothing further')

  // an opened one is left alone
  const { id: other } = await post(report('HPF/N/8', [childOf(meadowbankPupil)]))
  const [opened] = await notificationsOf(other)
  await page(`/notifications/${opened!.id}`, meadowbankDsl)
  assert.equal(await notifications.escalate(opened!.id, new Date(opened!.deadline.getTime() + minutes(31))), 'not-needed')
})

test('the partnership can give the council its own escalation margin, after the deputies\' one', async () => {
  const { id } = await post(report('HPF/N/7B', [childOf(meadowbankPupil)]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  const deadline = notification.deadline.getTime()
  const minutes = (n: number) => n * 60_000
  const services = harbour.services
  const notifications = new EncompassNotifications(services.db, services.jobs, services.mail, { ...services.notifications.policy, councilEscalationMinutes: 90 })
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(31))), 'deputies')
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(61))), 'not-yet', 'not after the deputies\' margin again')
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(119))), 'not-yet')
  assert.equal(await notifications.escalate(notification.id, new Date(deadline + minutes(121))), 'council', 'after 30 and then 90 minutes')
})

test('a child on no roll is routed to the council, whose Encompass team reads it in their inbox', async () => {
  const { id } = await post(report('HPF/N/9', [{ firstName: 'Perpetua', lastName: 'Nobody-Synthetic', dateOfBirth: '2015-03-04', postcode: 'ZZ9 9ZZ', present: false }]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  assert.equal(notification.recipient_kind, 'council')
  const mails = await mailsAbout(notification.id)
  assert.deepEqual(mails.map((m) => m.recipient), ['encompass@council.harbour.invalid'])
  const shown = await page(`/notifications/${notification.id}`, councilOfficer)
  assert.equal(shown.statusCode, 200)
  assert.ok(shown.body.includes('Nobody-Synthetic'))
  // a school cannot open it
  assert.equal((await page(`/notifications/${notification.id}`, meadowbankDsl)).statusCode, 404)
})

test('a setting that is not signed up, or has no lead, cannot receive: the council is told instead', async () => {
  const riverside = await harbour.services.db.selectFrom('organisation').select('id').where('urn', '=', '990002').executeTakeFirstOrThrow()
  await harbour.services.db.updateTable('education_setting').set({ encompass_signed_up: false }).where('organisation_id', '=', riverside.id).execute()
  try {
    const { id } = await post(report('HPF/N/10', [childOf(riversidePupil)]))
    const [notification] = await notificationsOf(id)
    assert.ok(notification)
    assert.equal(notification.setting_urn, '990002', 'the notification still belongs to the setting')
    const mails = await mailsAbout(notification.id)
    assert.deepEqual(mails.map((m) => [m.reason, m.recipient]), [['no-lead', 'encompass@council.harbour.invalid']])
  } finally {
    await harbour.services.db.updateTable('education_setting').set({ encompass_signed_up: true }).where('organisation_id', '=', riverside.id).execute()
  }
})

test('a child held for review is notified once the council decides who they are', async () => {
  const twin = { ...childOf(meadowbankPupil), firstName: 'Zebedee' }
  const { id } = await post(report('HPF/N/11', [twin]))
  assert.equal((await notificationsOf(id)).length, 0, 'nothing is sent while the child is held for review')
  const held = await harbour.services.db.selectFrom('incident_child').select(['match_review_id', 'route']).where('incident_id', '=', id).executeTakeFirstOrThrow()
  assert.equal(held.route, 'review')
  const decision = await form(`/review/${held.match_review_id}`, councilOfficer, { decision: `pupil:${meadowbankPupil.id}`, note: 'Checked with the school office (synthetic)' })
  assert.equal(decision.statusCode, 303, decision.body)
  const [notification] = await notificationsOf(id)
  assert.ok(notification, 'the decision sends the notification')
  assert.equal(notification.setting_urn, '990001')
  assert.equal(notification.pupil_id, meadowbankPupil.id)
  const routed = await harbour.services.db.selectFrom('incident_child').select(['route', 'setting_urn']).where('incident_id', '=', id).executeTakeFirstOrThrow()
  assert.deepEqual(routed, { route: 'setting', setting_urn: '990001' })
})

test('settings: the council names a lead and deputies and signs a setting up; a school administrator manages only their own setting', async () => {
  const signUpWithoutLead = await form('/encompass/settings/990002', councilOfficer, { signedUp: 'yes', lead: '' })
  assert.equal(signUpWithoutLead.statusCode, 400)
  assert.ok(signUpWithoutLead.body.includes('href="#lead"'))
  const outsider = await harbour.services.db.selectFrom('app_user').select('id').where('email', '=', 'dsl@meadowbank.harbour.invalid').executeTakeFirstOrThrow()
  const wrongPerson = await form('/encompass/settings/990002', councilOfficer, { signedUp: 'yes', lead: outsider.id })
  assert.equal(wrongPerson.statusCode, 400, 'a lead from another setting is refused')
  const lead = await harbour.services.db.selectFrom('app_user').select('id').where('email', '=', 'dsl@riverside.harbour.invalid').executeTakeFirstOrThrow()
  const saved = await form('/encompass/settings/990002', councilOfficer, { signedUp: 'yes', lead: lead.id })
  assert.equal(saved.statusCode, 303, saved.body)
  const audit = await harbour.services.db.selectFrom('audit_event').select('details').where('action', '=', 'encompass-setting-change').execute()
  assert.ok(audit.length >= 1)

  const office = await harbour.sessionAs('office@meadowbank.harbour.invalid')
  assert.equal((await page('/encompass/settings/990001', office)).statusCode, 200)
  assert.equal((await page('/encompass/settings/990002', office)).statusCode, 404, 'another setting is as if it did not exist')
  const list = await page('/encompass/settings', office)
  assert.ok(list.body.includes('Meadowbank') && !list.body.includes('Riverside'))
})

test('when the police amend an incident with a child held for review, the old review is withdrawn and the child waits under the new version', async () => {
  const twin = { ...childOf(meadowbankPupil), firstName: 'Zebedee' }
  const { id } = await post(report('HPF/N/12', [twin]))
  const first = await harbour.services.db.selectFrom('incident_child').select('match_review_id').where('incident_id', '=', id).executeTakeFirstOrThrow()
  await post(report('HPF/N/12', [twin], { location: 'Corrected address (synthetic)' }))
  const old = await harbour.services.db.selectFrom('match_review').select(['status', 'decision_note']).where('id', '=', first.match_review_id!).executeTakeFirstOrThrow()
  assert.equal(old.status, 'withdrawn')
  assert.match(old.decision_note ?? '', /amended/)
  const now = await harbour.services.db.selectFrom('incident_child').select('match_review_id').where('incident_id', '=', id).executeTakeFirstOrThrow()
  assert.notEqual(now.match_review_id, first.match_review_id)
  const current = await harbour.services.db.selectFrom('match_review').select('status').where('id', '=', now.match_review_id!).executeTakeFirstOrThrow()
  assert.equal(current.status, 'open')
  const decide = await form(`/review/${first.match_review_id}`, councilOfficer, { decision: `pupil:${meadowbankPupil.id}` })
  assert.equal(decide.statusCode, 400, 'the withdrawn review cannot be decided')
  assert.match(decide.body, /amended this incident/)
})

test('a notification withdrawn because the child was routed elsewhere no longer shows the child, and cannot be acknowledged', async () => {
  const { id } = await post(report('HPF/N/13', [childOf(meadowbankPupil)]))
  const [sent] = await notificationsOf(id)
  assert.ok(sent)
  // the police correct the report: the child was 18 (so not a child for Encompass) — the notification is withdrawn
  await post(report('HPF/N/13', [{ ...childOf(meadowbankPupil), dateOfBirth: '2000-01-01' }]))
  const withdrawn = await harbour.services.db.selectFrom('encompass_notification').select(['superseded_at', 'superseded_by']).where('id', '=', sent.id).executeTakeFirstOrThrow()
  assert.ok(withdrawn.superseded_at)
  assert.equal(withdrawn.superseded_by, null)
  const shown = await page(`/notifications/${sent.id}`, meadowbankDsl)
  assert.equal(shown.statusCode, 200)
  assert.match(shown.body, /This notification was withdrawn/)
  assert.ok(!shown.body.includes(meadowbankPupil.last_name), 'the child\'s name is no longer shown')
  assert.equal((await form(`/notifications/${sent.id}/acknowledgement`, meadowbankDsl)).statusCode, 404)
  const api = await harbour.app.inject({ method: 'POST', url: `/api/v1/notifications/${sent.id}/acknowledgement`, headers: { authorization: `Bearer ${meadowbankKey}` } })
  assert.equal(api.statusCode, 404)
})

test('the inbox and a school system\'s pull are in the audit trail: searching for a notification finds who listed it', async () => {
  const { id } = await post(report('HPF/N/14', [childOf(riversidePupil)]))
  const [notification] = await notificationsOf(id)
  assert.ok(notification)
  await page('/notifications', riversideDsl)
  const pulled = await harbour.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: `Bearer ${riversideKey}` } })
  assert.equal(pulled.statusCode, 200)
  const opened = await harbour.services.db.selectFrom('encompass_notification').select(['first_opened_at', 'escalation_level']).where('id', '=', notification.id).executeTakeFirstOrThrow()
  assert.ok(opened.first_opened_at, 'a pull by the school\'s system counts as opened')
  assert.equal(await harbour.services.notifications.escalate(notification.id, new Date(notification.deadline.getTime() + 3 * 3600_000)), 'not-needed', 'so it is not escalated')
  const auditor = await harbour.person(['auditor'])
  const search = await page(`/audit?recordType=encompass-notification&recordId=${notification.id}`, auditor.cookies)
  assert.equal(search.statusCode, 200)
  assert.ok(search.body.includes('dsl@riverside.harbour.invalid'), 'the DSL\'s inbox view is found')
  assert.ok(search.body.includes('Riverside MIS'), 'the school system\'s pull is found')
})
