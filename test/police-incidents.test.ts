// Incidents in, for police staff in the browser: the form (errors named by field, a retry creates
// nothing new, a confirmation with each child's school and deadline), the CSV upload (all or nothing,
// problems named by row), and the force's own incidents (another force's are not there; each view audited).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { londonWallClock } from '../src/platform/time/london-time.ts'
import { londonDateTimeText } from '../src/platform/time/dates.ts'
import { INCIDENT_CSV_COLUMNS } from '../src/encompass/incident-csv.ts'
import { lonePupil } from '../src/encompass/demo.ts'

let harbour: TestHarbour
let officer: { userId: string, organisationId: string, cookies: Record<string, string> }
let otherForce: { userId: string, organisationId: string, cookies: Record<string, string> }
let pupil: { first_name: string, last_name: string, date_of_birth: string | null, address: string, postcode: string }

before(async () => {
  harbour = await testHarbour({ demo: true })
  officer = await harbour.person(['police_officer'], { organisationType: 'police_force' })
  otherForce = await harbour.person(['police_officer'], { organisationType: 'police_force' })
  // a demo pupil at Meadowbank with no one else at home sharing their birthday, so the match is sure
  pupil = (await lonePupil(harbour.services.db, '990001'))!
})
after(() => harbour.stop())

const count = async (table: 'incident' | 'incident_child' | 'incident_version') =>
  Number((await harbour.services.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

/** The form's fields for an incident three hours ago (UK time), with the demo pupil and a child on no roll. */
function incidentForm(reference: string, extra: Record<string, string> = {}): Record<string, string> {
  const wall = londonWallClock(new Date(Date.now() - 3 * 3600_000))
  const [year, month, day] = wall.date.split('-')
  const [dobYear, dobMonth, dobDay] = (pupil.date_of_birth ?? '').split('-')
  return {
    policeReference: reference, 'occurredAt-day': String(Number(day)), 'occurredAt-month': String(Number(month)), 'occurredAt-year': year!,
    occurredTime: `${String(Math.floor(wall.minutes / 60)).padStart(2, '0')}:${String(wall.minutes % 60).padStart(2, '0')}`,
    location: 'Home address (synthetic)', circumstances: 'Shouting heard by a neighbour; adult B arrested (synthetic)', riskGrade: 'medium',
    'adultA-firstName': 'Jo', 'adultA-lastName': 'Synthetic', 'adultB-firstName': 'Lee', 'adultB-lastName': 'Synthetic', 'adultB-dob-day': '2', 'adultB-dob-month': '7', 'adultB-dob-year': '1988',
    'child1-firstName': pupil.first_name, 'child1-lastName': pupil.last_name, 'child1-dob-day': dobDay!, 'child1-dob-month': dobMonth!, 'child1-dob-year': dobYear!,
    'child1-address': pupil.address, 'child1-postcode': pupil.postcode, 'child1-present': 'yes', 'child1-spokenTo': 'not-recorded', 'child1-gender': 'not-recorded',
    // child 2's section left blank; "not recorded" alone does not make a child
    'child2-spokenTo': 'not-recorded',
    'child3-firstName': 'Eilidh', 'child3-lastName': 'Featherstonehaugh', 'child3-dob-day': '30', 'child3-dob-month': '8', 'child3-dob-year': '2014', 'child3-present': 'no', 'child3-gender': 'F',
    ...extra
  }
}

function postForm(who: { cookies: Record<string, string> }, fields: Record<string, string>) {
  return harbour.app.inject({
    method: 'POST', url: '/incidents/new', cookies: who.cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: tokenFor(harbour, who.cookies), ...fields }).toString()
  })
}

function multipart(fields: Array<[string, string]>, upload?: { name: string, content: string }) {
  const boundary = `----harbour${randomBytes(8).toString('hex')}`
  let body = ''
  for (const [name, value] of fields) body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  if (upload) body += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${upload.name}"\r\nContent-Type: text/csv\r\n\r\n${upload.content}\r\n`
  body += `--${boundary}--\r\n`
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

const upload = (who: { cookies: Record<string, string> }, name: string, content: string) =>
  harbour.app.inject({ method: 'POST', url: '/incidents/upload', cookies: who.cookies, ...multipart([['_csrf', tokenFor(harbour, who.cookies)]], { name, content }) })

/** The error summary's links, as [text, href]. */
function errorSummary(html: string): Array<[string, string]> {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[2]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').trim(), m[1]!])
}

let formIncidentId = ''

test('the form creates an incident and the confirmation shows each child\'s school, deadline in UK time, or the reason', async () => {
  const page = await harbour.app.inject({ method: 'GET', url: '/incidents/new', cookies: officer.cookies })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1 class="govuk-heading-l">Record an incident<\/h1>/)
  for (const id of ['policeReference', 'occurredAt-day', 'occurredTime', 'riskGrade', 'adultA-firstName', 'adultB-dob-day', 'child1-firstName', 'child4-educationSettingUrn']) {
    assert.match(page.body, new RegExp(`id="${id}"`), `the form has ${id}`)
  }
  assert.match(page.body, /value="not-assessed"/)

  const before = await count('incident')
  const sent = await postForm(officer, incidentForm('HPF/WEB/1'))
  assert.equal(sent.statusCode, 303, sent.body)
  const location = String(sent.headers.location)
  assert.match(location, /^\/incidents\/[0-9a-f-]{36}\?sent=created$/)
  assert.equal(await count('incident'), before + 1)
  formIncidentId = location.slice('/incidents/'.length, location.indexOf('?'))

  const stored = await harbour.services.db.selectFrom('incident').selectAll().where('id', '=', formIncidentId).executeTakeFirstOrThrow()
  assert.equal(stored.police_organisation_id, officer.organisationId)
  const report = stored.report as unknown as { children: Array<{ firstName: string }>, adults: Array<{ label: string, dateOfBirth?: string }>, riskGrade: string }
  assert.deepEqual(report.children.map((c) => c.firstName), [pupil.first_name, 'Eilidh'], 'the blank child section is ignored')
  assert.deepEqual(report.adults.map((a) => [a.label, a.dateOfBirth]), [['A', undefined], ['B', '1988-07-02']])
  assert.equal(report.riskGrade, 'medium')

  const confirmation = await harbour.app.inject({ method: 'GET', url: location, cookies: officer.cookies })
  assert.equal(confirmation.statusCode, 200)
  assert.match(confirmation.body, /govuk-panel__title[^>]*>\s*Incident received/)
  assert.match(confirmation.body, /HPF\/WEB\/1/)
  assert.match(confirmation.body, /Meadowbank Primary School \(URN 990001\)/)
  const children = await harbour.services.db.selectFrom('incident_child').selectAll().where('incident_id', '=', formIncidentId).orderBy('position').execute()
  assert.equal(children[0]?.route, 'setting')
  assert.ok(children[0]?.deadline)
  const deadlineText = londonDateTimeText(children[0].deadline)
  assert.match(deadlineText, /^(\d{1,2}:\d{2}(am|pm)|midday|midnight) on (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} \w+ \d{4}$/)
  assert.ok(confirmation.body.includes(deadlineText), `the deadline is shown in UK time: ${deadlineText}`)
  assert.equal(children[1]?.route, 'local-authority')
  assert.match(confirmation.body, /Sent to the council/)
  assert.match(confirmation.body, /Not found on any school roll/)
})

test('the same form sent again (a retry) creates nothing new and says so', async () => {
  const incidents = await count('incident')
  const versions = await count('incident_version')
  const children = await count('incident_child')
  const again = await postForm(officer, incidentForm('HPF/WEB/1'))
  assert.equal(again.statusCode, 303)
  assert.equal(again.headers.location, `/incidents/${formIncidentId}?sent=unchanged`)
  assert.equal(await count('incident'), incidents)
  assert.equal(await count('incident_version'), versions)
  assert.equal(await count('incident_child'), children)
  const page = await harbour.app.inject({ method: 'GET', url: String(again.headers.location), cookies: officer.cookies })
  assert.match(page.body, /nothing new was stored/)
})

test('a form with problems names each field, in the summary and beside the field, and stores nothing', async () => {
  const before = await count('incident')
  const tomorrow = londonWallClock(new Date(Date.now() + 36 * 3600_000)).date.split('-')
  const response = await postForm(officer, incidentForm('', {
    riskGrade: '', location: '',
    'occurredAt-day': String(Number(tomorrow[2])), 'occurredAt-month': String(Number(tomorrow[1])), 'occurredAt-year': tomorrow[0]!,
    'adultB-dob-day': '31', 'adultB-dob-month': '2',
    'child1-present': '', 'child1-educationSettingUrn': '12345',
    'child3-firstName': '', 'child3-dob-month': '13'
  }))
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /<title>Error: Record an incident/)
  assert.deepEqual(errorSummary(response.body), [
    ['Enter the police reference', '#policeReference'],
    ['The date and time of the incident must be in the past', '#occurredAt-day'],
    ['Enter where the incident happened', '#location'],
    ['Select the risk grade, or select not assessed', '#riskGrade'],
    ['Adult B\'s date of birth must be a real date', '#adultB-dob-day'],
    ['Select whether child 1 was present', '#child1-present'],
    ['Child 1\'s school URN must be 6 digits, like 990001', '#child1-educationSettingUrn'],
    ['Enter child 3\'s first name', '#child3-firstName'],
    ['Child 3\'s date of birth must be a real date', '#child3-dob-day']
  ])
  // inline, beside the field, and what was typed is kept
  assert.match(response.body, /id="child1-educationSettingUrn-error"[\s\S]*?Child 1&#39;s school URN must be 6 digits/)
  assert.match(response.body, /id="child1-educationSettingUrn"[^>]*value="12345"/)
  assert.equal(await count('incident'), before)

  const empty = await postForm(officer, { policeReference: 'HPF/WEB/EMPTY' })
  assert.equal(empty.statusCode, 400)
  assert.ok(errorSummary(empty.body).some(([text, href]) => text === 'Enter the details of at least one child' && href === '#child1-firstName'))
})

test('the force sees its own incidents, newest first; another force sees neither the list entry nor the incident', async () => {
  const own = await harbour.app.inject({ method: 'GET', url: '/incidents', cookies: officer.cookies })
  assert.equal(own.statusCode, 200)
  assert.match(own.body, /HPF\/WEB\/1/)
  assert.match(own.body, /2 children: 1 sent to a school, 1 sent to the council/)

  const theirs = await harbour.app.inject({ method: 'GET', url: '/incidents', cookies: otherForce.cookies })
  assert.equal(theirs.statusCode, 200)
  assert.doesNotMatch(theirs.body, /HPF\/WEB\/1/)
  assert.match(theirs.body, /Your force has not sent any incidents yet/)

  const peek = await harbour.app.inject({ method: 'GET', url: `/incidents/${formIncidentId}`, cookies: otherForce.cookies })
  assert.equal(peek.statusCode, 404)
  assert.doesNotMatch(peek.body, new RegExp(pupil.last_name))
  const peeked = await harbour.services.db.selectFrom('audit_event').select('id').where('action', '=', 'incident-view').where('actor_user_id', '=', otherForce.userId).execute()
  assert.equal(peeked.length, 0)
})

test('each view of an incident is in the audit trail: who, which incident, from where', async () => {
  const response = await harbour.app.inject({ method: 'GET', url: `/incidents/${formIncidentId}`, cookies: officer.cookies, remoteAddress: '10.1.2.3' })
  assert.equal(response.statusCode, 200)
  assert.match(response.body, /<h1 class="govuk-heading-l">HPF\/WEB\/1<\/h1>/)
  const entry = await harbour.services.db.selectFrom('audit_event').selectAll()
    .where('action', '=', 'incident-view').where('record_id', '=', formIncidentId).where('request_id', '=', String(response.headers['x-request-id'])).executeTakeFirstOrThrow()
  assert.equal(entry.record_type, 'incident')
  assert.equal(entry.actor_user_id, officer.userId)
  assert.equal(entry.ip, '10.1.2.3')
  assert.deepEqual(entry.details, { policeReference: 'HPF/WEB/1', version: 1 })
})

const HEADER = INCIDENT_CSV_COLUMNS.join(',')
const csvRow = (reference: string, child: string, dob: string, present = 'yes') =>
  `${reference},2026-11-20 21:15,Home address (synthetic),Shouting heard (synthetic),,Jo,Synthetic,,,,,${child},,Synthetic,${dob},,,,,,${present},,,`

test('the upload page offers the template, and the template is the shipped example', async () => {
  const page = await harbour.app.inject({ method: 'GET', url: '/incidents/upload', cookies: officer.cookies })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /enctype="multipart\/form-data"/)
  assert.match(page.body, /href="\/incidents\/upload\/example-incidents\.csv"/)
  const template = await harbour.app.inject({ method: 'GET', url: '/incidents/upload/example-incidents.csv', cookies: officer.cookies })
  assert.equal(template.statusCode, 200)
  assert.match(String(template.headers['content-type']), /^text\/csv/)
  assert.match(String(template.headers['content-disposition']), /attachment; filename="example-incidents\.csv"/)
  assert.equal(template.body, readFileSync(new URL('./fixtures/incidents/example-incidents.csv', import.meta.url), 'utf8'))
})

test('a CSV upload is all or nothing: one bad row and nothing is stored, the row named', async () => {
  const before = await count('incident')
  const response = await upload(officer, 'batch.csv', [
    HEADER,
    csvRow('HPF/CSV/1', 'Ada', '2016-04-09'),
    csvRow('HPF/CSV/2', 'Bo', '2015-02-03'),
    csvRow('HPF/CSV/2', 'Cy', '2016-13-01'),
    csvRow('HPF/CSV/3', 'Di', '2013-05-06', 'maybe')
  ].join('\r\n'))
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body).map(([text]) => text), [
    'The file has 2 problems, so no incidents were stored',
    'Row 4: childDateOfBirth must be a date, YYYY-MM-DD',
    'Row 5: childPresent must be yes or no'
  ])
  assert.match(response.body, /id="file-error"[\s\S]*?no incidents were stored/)
  assert.equal(await count('incident'), before, 'not even the good rows were stored')
  const good = await harbour.services.db.selectFrom('incident').select('id').where('police_reference', '=', 'HPF/CSV/1').execute()
  assert.equal(good.length, 0)

  const header = await upload(officer, 'header.csv', 'policeReference,when,childFirstName\r\nX,Y,Z\r\n')
  assert.equal(header.statusCode, 400)
  assert.ok(errorSummary(header.body).some(([text]) => /^Row 1: the header has a column Harbour does not know: "when"/.test(text)))
  assert.ok(errorSummary(header.body).some(([text]) => /^Row 1: the header is missing the columns occurredAt, location, circumstances, childLastName, childDateOfBirth and childPresent$/.test(text)))

  const none = await harbour.app.inject({ method: 'POST', url: '/incidents/upload', cookies: officer.cookies, ...multipart([['_csrf', tokenFor(harbour, officer.cookies)]], { name: '', content: '' }) })
  assert.equal(none.statusCode, 400)
  assert.deepEqual(errorSummary(none.body), [['Select a CSV file of incidents', '#file']])
})

test('a good CSV stores every incident, and the page counts them with each one\'s outcome; sent again, nothing new', async () => {
  const before = await count('incident')
  const content = [HEADER, csvRow('HPF/CSV/1', 'Ada', '2016-04-09'), csvRow('HPF/CSV/2', 'Bo', '2015-02-03'), csvRow('HPF/CSV/2', 'Cy', '2016-11-01')].join('\r\n')
  const response = await upload(officer, 'batch.csv', content)
  assert.equal(response.statusCode, 200, response.body)
  assert.match(response.body, /govuk-panel__title[^>]*>\s*Incidents received/)
  assert.match(response.body, /2 incidents, 3 children/)
  assert.match(response.body, /2 new, 0 updated/)
  assert.match(response.body, /HPF\/CSV\/2<\/a><\/td>\s*<td class="govuk-table__cell">Rows 3, 4<\/td>\s*<td class="govuk-table__cell">New<\/td>/)
  assert.equal(await count('incident'), before + 2)
  const stored = await harbour.services.db.selectFrom('incident').select(['police_reference', 'police_organisation_id']).where('police_reference', 'like', 'HPF/CSV/%').orderBy('police_reference').execute()
  assert.deepEqual(stored.map((s) => [s.police_reference, s.police_organisation_id]), [['HPF/CSV/1', officer.organisationId], ['HPF/CSV/2', officer.organisationId]])
  const audits = await harbour.services.db.selectFrom('audit_event').select('id').where('action', '=', 'incident-create').where('actor_user_id', '=', officer.userId).execute()
  assert.ok(audits.length >= 3, 'each incident stored is audited')

  const again = await upload(officer, 'batch.csv', content)
  assert.equal(again.statusCode, 200)
  assert.match(again.body, /0 new, 0 updated, and 2 already received with nothing changed/)
  assert.equal(await count('incident'), before + 2)

  // the list pages: 25 a page, newest first
  const list = await harbour.app.inject({ method: 'GET', url: '/incidents', cookies: officer.cookies })
  assert.match(list.body, /3 incidents/)
  assert.ok(list.body.indexOf('HPF/CSV/2') < list.body.indexOf('HPF/WEB/1'), 'newest first')
})

test('the list pages at 25 incidents', async () => {
  const force = await harbour.person(['police_officer'], { organisationType: 'police_force' })
  const rows = Array.from({ length: 27 }, (_, i) => csvRow(`HPF/PAGE/${String(i).padStart(2, '0')}`, 'Ada', '2010-01-01'))
  const response = await upload(force, 'many.csv', [HEADER, ...rows].join('\r\n'))
  assert.equal(response.statusCode, 200, response.body)
  const first = await harbour.app.inject({ method: 'GET', url: '/incidents', cookies: force.cookies })
  assert.equal((first.body.match(/href="\/incidents\/[0-9a-f-]{36}"/g) ?? []).length, 25)
  assert.match(first.body, /href="\/incidents\?page=2"/)
  const second = await harbour.app.inject({ method: 'GET', url: '/incidents?page=2', cookies: force.cookies })
  assert.equal((second.body.match(/href="\/incidents\/[0-9a-f-]{36}"/g) ?? []).length, 2)
})

test('police staff have "Incidents" in their navigation; other roles do not', async () => {
  const home = await harbour.app.inject({ method: 'GET', url: '/', cookies: officer.cookies })
  assert.match(home.body, /href="\/incidents"/)
  const dsl = await harbour.person(['designated_safeguarding_lead'], { organisationType: 'education_setting' })
  const other = await harbour.app.inject({ method: 'GET', url: '/', cookies: dsl.cookies })
  assert.doesNotMatch(other.body, /href="\/incidents"/)
})
