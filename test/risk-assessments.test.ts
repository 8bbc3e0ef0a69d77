// Risk assessments end to end through the pages: the grade at 9/10 and 13/14 Yes, the children a
// child-related Yes asks for, professional judgement that raises with reasons and is refused when it
// would lower, a graded tool's own grade, the age rule for the young people's checklist, a version for
// every save, save and return later, nobody outside the organisation seeing it (404), and the audit trail.
import { test, before, after } from 'node:test'
import { randomBytes } from 'node:crypto'
import assert from 'node:assert/strict'
import { testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { PARTNER_CHECKLIST, POLICE_GRADED_TOOL, YOUNG_PEOPLE_CHECKLIST } from '../src/marac/instruments.ts'
import type { Instrument } from '../src/marac/instruments.ts'
import { QUESTIONS_PER_PAGE, questionPages } from '../src/marac/assessment-form.ts'
import { THRESHOLDS_SETTING, completeAssessment, findAssessment, saveAssessment, startAssessment, thresholdOverrides } from '../src/marac/assessments.ts'
import { riskThresholdsCommand } from '../src/marac/threshold-command.ts'
import { todayInLondon } from '../src/platform/time/dates.ts'

let harbour: TestHarbour
let idva: { userId: string, organisationId: string, cookies: Record<string, string> }
let colleague: Record<string, string>
let otherIdva: Record<string, string>
let coordinator: Record<string, string>

before(async () => {
  harbour = await testHarbour()
  idva = await harbour.person(['idva'], { organisationType: 'idva_service' })
  otherIdva = (await harbour.person(['idva'], { organisationType: 'idva_service' })).cookies
  coordinator = (await harbour.person(['marac_coordinator'], { organisationType: 'local_authority' })).cookies
  // a second person in the same team at the IDVA service (an IDVA's grants reach their team)
  const db = harbour.services.db
  const team = await db.insertInto('team').values({ organisation_id: idva.organisationId, name: 'North team' }).returning('id').executeTakeFirstOrThrow()
  await db.updateTable('app_user').set({ team_id: team.id }).where('id', '=', idva.userId).execute()
  colleague = (await colleagueOf(idva.organisationId, ['idva'], team.id)).cookies
})

/** Another person at an organisation, with these roles, in a team or none. */
async function colleagueOf(organisationId: string, roles: string[], teamId: string | null = null): Promise<{ userId: string, cookies: Record<string, string> }> {
  const db = harbour.services.db
  const user = await db.insertInto('app_user').values({
    email: `colleague.${randomBytes(4).toString('hex')}@test.harbour.invalid`, display_name: 'Colleague', organisation_id: organisationId,
    password_hash: null, status: 'active', is_demo: false, team_id: teamId, totp_secret: null, totp_last_step: null
  }).returning(['id', 'email']).executeTakeFirstOrThrow()
  await db.insertInto('user_role').values(roles.map((role) => ({ user_id: user.id, role }))).execute()
  return { userId: user.id, cookies: await harbour.sessionAs(user.email) }
}
after(() => harbour.stop())

const page = (url: string, cookies: Record<string, string>) => harbour.app.inject({ method: 'GET', url, cookies })
const form = (url: string, cookies: Record<string, string>, fields: Record<string, string> = {}) =>
  harbour.app.inject({ method: 'POST', url, cookies, payload: new URLSearchParams({ _csrf: tokenFor(harbour, cookies), ...fields }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })

/** A date of birth for someone this many years old today (a birthday well clear of today). */
function bornYearsAgo(years: number): { day: string, month: string, year: string, iso: string } {
  const [y, m] = todayInLondon().split('-').map(Number) as [number, number]
  // the first of the month before this one: the birthday has passed this year
  const month = m === 1 ? 12 : m - 1
  const year = (m === 1 ? y - 1 : y) - years
  return { day: '1', month: String(month), year: String(year), iso: `${year}-${String(month).padStart(2, '0')}-01` }
}

async function start(cookies: Record<string, string>, instrument: Instrument, age = 30, name = 'Alex Synthetic'): Promise<string> {
  const dob = bornYearsAgo(age)
  const response = await form('/risk-assessments/new', cookies, { victimName: name, 'victimDob-day': dob.day, 'victimDob-month': dob.month, 'victimDob-year': dob.year, instrument: instrument.id })
  assert.equal(response.statusCode, 303, response.body)
  const match = /^\/risk-assessments\/([0-9a-f-]{36})\/questions\/1$/.exec(String(response.headers.location))
  assert.ok(match, `redirected to the first questions page, not ${String(response.headers.location)}`)
  return match[1]!
}

/** Answers every question page: the given items Yes, the rest No; returns where the last page went. */
async function answerAll(cookies: Record<string, string>, id: string, instrument: Instrument, yes: ReadonlySet<string>): Promise<string> {
  let location = ''
  const pages = questionPages(instrument)
  for (let n = 1; n <= pages.length; n++) {
    const fields: Record<string, string> = { action: 'continue' }
    for (const item of pages[n - 1]!) fields[`answer-${item.id}`] = yes.has(item.id) ? 'yes' : 'no'
    const response = await form(`/risk-assessments/${id}/questions/${n}`, cookies, fields)
    assert.equal(response.statusCode, 303, response.body)
    location = String(response.headers.location)
    if (n < pages.length) assert.equal(location, `/risk-assessments/${id}/questions/${n + 1}`)
  }
  return location
}

/** The first `count` items that are not about children. */
const yesNotAboutChildren = (instrument: Instrument, count: number) => new Set(instrument.items.filter((item) => !item.aboutChildren).slice(0, count).map((item) => item.id))

async function completeWithYes(cookies: Record<string, string>, count: number): Promise<{ id: string, confirmation: string }> {
  const id = await start(cookies, PARTNER_CHECKLIST)
  const next = await answerAll(cookies, id, PARTNER_CHECKLIST, yesNotAboutChildren(PARTNER_CHECKLIST, count))
  assert.equal(next, `/risk-assessments/${id}/judgement`, 'no child-related Yes: straight to judgement')
  const kept = await form(`/risk-assessments/${id}/judgement`, cookies, { action: 'continue', judgementGrade: 'keep' })
  assert.equal(kept.statusCode, 303, kept.body)
  assert.equal(kept.headers.location, `/risk-assessments/${id}/check`)
  const check = await page(`/risk-assessments/${id}/check`, cookies)
  assert.equal(check.statusCode, 200)
  assert.match(check.body, /Check your answers/)
  const done = await form(`/risk-assessments/${id}/check`, cookies, { action: 'complete' })
  assert.equal(done.statusCode, 303, done.body)
  assert.equal(done.headers.location, `/risk-assessments/${id}/confirmation`)
  const confirmation = await page(`/risk-assessments/${id}/confirmation`, cookies)
  assert.equal(confirmation.statusCode, 200)
  return { id, confirmation: confirmation.body }
}

for (const [yes, grade] of [[9, 'standard'], [10, 'medium'], [13, 'medium'], [14, 'high']] as const) {
  test(`${yes} Yes answers on the partner checklist give ${grade}, through the pages`, async () => {
    const { id, confirmation } = await completeWithYes(idva.cookies, yes)
    assert.match(confirmation, /govuk-panel/)
    assert.match(confirmation, new RegExp(`Grade<br><strong>${grade.charAt(0).toUpperCase()}${grade.slice(1)}</strong>`))
    const row = await harbour.services.db.selectFrom('risk_assessment').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'complete')
    assert.equal(row.grade, grade)
    const last = await harbour.services.db.selectFrom('risk_assessment_version').selectAll().where('assessment_id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow()
    assert.equal(last.kind, 'complete')
    assert.equal(last.yes_count, yes)
    assert.equal(last.grade, grade)
    assert.equal(last.scored_grade, grade)
  })
}

test('a version for every save: start, each page, save and return later, completion; the draft is listed to pick up', async () => {
  const db = harbour.services.db
  const id = await start(idva.cookies, PARTNER_CHECKLIST)
  const first = questionPages(PARTNER_CHECKLIST)[0]!
  const fields: Record<string, string> = { action: 'save' }
  // save and return later keeps what is answered, even with questions left
  fields[`answer-${first[0]!.id}`] = 'yes'
  fields[`answer-${first[1]!.id}`] = 'dont-know'
  const saved = await form(`/risk-assessments/${id}/questions/1`, idva.cookies, fields)
  assert.equal(saved.statusCode, 303)
  assert.equal(saved.headers.location, `/risk-assessments?saved=${id}`)
  const list = await page(`/risk-assessments?saved=${id}`, idva.cookies)
  assert.equal(list.statusCode, 200)
  assert.ok(list.body.includes(`/risk-assessments/${id}`), 'the draft is listed')
  assert.match(list.body, /is saved/)
  // a colleague in the same team sees it too, and picking it up goes back to page 1 (still incomplete)
  const colleagueList = await page('/risk-assessments', colleague)
  assert.ok(colleagueList.body.includes(`/risk-assessments/${id}`))
  const resume = await page(`/risk-assessments/${id}`, colleague)
  assert.equal(resume.statusCode, 303)
  assert.equal(resume.headers.location, `/risk-assessments/${id}/questions/1`)
  const reopened = await page(`/risk-assessments/${id}/questions/1`, colleague)
  assert.match(reopened.body, new RegExp(`name="answer-${first[0]!.id}" type="radio" value="yes" checked`))

  let versions = await db.selectFrom('risk_assessment_version').select(['version', 'kind', 'answers', 'saved_by_label']).where('assessment_id', '=', id).orderBy('version').execute()
  assert.deepEqual(versions.map((v) => [v.version, v.kind]), [[1, 'start'], [2, 'save']])
  assert.deepEqual(versions[1]!.answers, { [first[0]!.id]: 'yes', [first[1]!.id]: 'dont-know' })

  const next = await answerAll(colleague, id, PARTNER_CHECKLIST, new Set())
  assert.equal(next, `/risk-assessments/${id}/judgement`)
  await form(`/risk-assessments/${id}/judgement`, colleague, { action: 'continue', judgementGrade: 'keep' })
  const outcome = await form(`/risk-assessments/${id}/check`, colleague, { action: 'complete' })
  assert.equal(outcome.statusCode, 303)
  versions = await db.selectFrom('risk_assessment_version').select(['version', 'kind', 'answers', 'saved_by_label']).where('assessment_id', '=', id).orderBy('version').execute()
  const pages = questionPages(PARTNER_CHECKLIST).length
  assert.deepEqual(versions.map((v) => v.kind), ['start', 'save', ...Array(pages).fill('save'), 'save', 'complete'])
  assert.deepEqual(versions.map((v) => v.version), versions.map((_, i) => i + 1))
  // earlier versions are kept as they were: version 2 still has its two answers
  assert.equal(Object.keys(versions[1]!.answers).length, 2)
  assert.equal(Object.keys(versions.at(-1)!.answers).length, PARTNER_CHECKLIST.items.length)
  const row = await db.selectFrom('risk_assessment').select(['current_version', 'status']).where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.current_version, versions.length)

  // the completed one is a record: changing it is refused, and no version is added
  const late = await form(`/risk-assessments/${id}/questions/1`, idva.cookies, { action: 'continue', ...Object.fromEntries(first.map((item) => [`answer-${item.id}`, 'yes'])) })
  assert.equal(late.statusCode, 303)
  assert.equal(late.headers.location, `/risk-assessments/${id}`)
  const after = await db.selectFrom('risk_assessment_version').select('version').where('assessment_id', '=', id).execute()
  assert.equal(after.length, versions.length)
  const shown = await page(`/risk-assessments/${id}`, idva.cookies)
  assert.equal(shown.statusCode, 200)
  assert.match(shown.body, /Versions/)
})

test('a Yes about children asks for the children, and the completed assessment lists them', async () => {
  const id = await start(idva.cookies, PARTNER_CHECKLIST)
  const next = await answerAll(idva.cookies, id, PARTNER_CHECKLIST, new Set(['children-in-household', 'fear']))
  assert.equal(next, `/risk-assessments/${id}/children`)
  const childrenPage = await page(next, idva.cookies)
  assert.equal(childrenPage.statusCode, 200)
  assert.match(childrenPage.body, /Children live in the household/)

  const none = await form(next, idva.cookies, { action: 'continue', slots: '3' })
  assert.equal(none.statusCode, 400)
  assert.ok(none.body.includes('href="#child1-name"'))
  const wrong = await form(next, idva.cookies, { action: 'continue', slots: '3', 'child1-name': 'Sky Synthetic', 'child1-dob-day': '31', 'child1-dob-month': '2', 'child1-dob-year': '2019', 'child2-dob-year': '2000' })
  assert.equal(wrong.statusCode, 400)
  assert.ok(wrong.body.includes('href="#child1-dob-day"'), 'a date error links to the day box')
  assert.match(wrong.body, /Child 1&#39;s date of birth must be a real date/)
  assert.match(wrong.body, /Enter child 2&#39;s name/)

  const ok = await form(next, idva.cookies, {
    action: 'continue', slots: '3', 'child1-name': 'Sky Synthetic', 'child1-dob-day': '14', 'child1-dob-month': '6', 'child1-dob-year': '2019',
    'child2-name': 'Rowan Synthetic', 'child2-dob-day': '2', 'child2-dob-month': '1', 'child2-dob-year': '2023'
  })
  assert.equal(ok.statusCode, 303, ok.body)
  assert.equal(ok.headers.location, `/risk-assessments/${id}/judgement`)
  await form(`/risk-assessments/${id}/judgement`, idva.cookies, { action: 'continue', judgementGrade: 'keep' })
  const check = await page(`/risk-assessments/${id}/check`, idva.cookies)
  assert.match(check.body, /Sky Synthetic, born 14 June 2019/)
  await form(`/risk-assessments/${id}/check`, idva.cookies, { action: 'complete' })
  const confirmation = await page(`/risk-assessments/${id}/confirmation`, idva.cookies)
  assert.match(confirmation.body, /Children this assessment concerns/)
  assert.match(confirmation.body, /Sky Synthetic, born 14 June 2019/)
  assert.match(confirmation.body, /Rowan Synthetic, born 2 January 2023/)
  const last = await harbour.services.db.selectFrom('risk_assessment_version').select('children').where('assessment_id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow()
  assert.deepEqual(last.children, [{ name: 'Sky Synthetic', dateOfBirth: '2019-06-14' }, { name: 'Rowan Synthetic', dateOfBirth: '2023-01-02' }])
})

test('completion is refused while a child-related Yes has no child listed', async () => {
  const db = harbour.services.db
  const actor = { userId: idva.userId, organisationId: idva.organisationId, label: 'service test' }
  const id = await startAssessment(db, { organisationId: idva.organisationId, userId: idva.userId, victimName: 'Jo Synthetic', victimDateOfBirth: '1990-05-05', instrumentId: PARTNER_CHECKLIST.id }, actor)
  await saveAssessment(db, id, { answers: Object.fromEntries(PARTNER_CHECKLIST.items.map((item) => [item.id, item.id === 'pregnancy-or-baby' ? 'yes' : 'no'])) }, actor)
  const refused = await completeAssessment(db, id, actor)
  assert.equal(refused.ok, false)
  assert.ok(!refused.ok && refused.errors.some((error) => error.field === 'children'))
  const check = await form(`/risk-assessments/${id}/check`, idva.cookies, { action: 'complete' })
  assert.equal(check.statusCode, 400)
  assert.ok(check.body.includes(`href="/risk-assessments/${id}/children?return=check"`), 'the error links to the children page')
})

test('professional judgement raises the grade with reasons, and is refused when it would lower it', async () => {
  const id = await start(idva.cookies, PARTNER_CHECKLIST)
  await answerAll(idva.cookies, id, PARTNER_CHECKLIST, yesNotAboutChildren(PARTNER_CHECKLIST, 10))
  const judgementPage = await page(`/risk-assessments/${id}/judgement`, idva.cookies)
  assert.match(judgementPage.body, /10 of 24 answers are Yes, which gives a <strong>medium<\/strong> grade/)

  const lower = await form(`/risk-assessments/${id}/judgement`, idva.cookies, { action: 'continue', judgementGrade: 'standard', judgementReasons: 'The victim says things have calmed down a lot.' })
  assert.equal(lower.statusCode, 400)
  assert.ok(lower.body.includes('href="#judgementGrade"'))
  assert.match(lower.body, /Professional judgement may raise a grade but never lower it: the assessment gives medium, so standard is refused/)

  const noReasons = await form(`/risk-assessments/${id}/judgement`, idva.cookies, { action: 'continue', judgementGrade: 'high', judgementReasons: '' })
  assert.equal(noReasons.statusCode, 400)
  assert.ok(noReasons.body.includes('href="#judgementReasons"'))
  assert.match(noReasons.body, /Reasons are required to raise the grade from medium to high/)
  const short = await form(`/risk-assessments/${id}/judgement`, idva.cookies, { action: 'continue', judgementGrade: 'high', judgementReasons: 'stalking' })
  assert.equal(short.statusCode, 400)
  assert.match(short.body, /Reasons must be at least 20 characters/)

  const nothing = await form(`/risk-assessments/${id}/judgement`, idva.cookies, { action: 'continue' })
  assert.equal(nothing.statusCode, 400)
  assert.match(nothing.body, /Select whether your professional judgement changes the grade/)

  const reasons = 'The perpetrator has started stalking the victim at work since she separated from him last month.'
  const raised = await form(`/risk-assessments/${id}/judgement`, idva.cookies, { action: 'continue', judgementGrade: 'high', judgementReasons: reasons })
  assert.equal(raised.statusCode, 303, raised.body)
  const check = await page(`/risk-assessments/${id}/check`, idva.cookies)
  assert.match(check.body, /Raised to high/)
  await form(`/risk-assessments/${id}/check`, idva.cookies, { action: 'complete' })
  const db = harbour.services.db
  const row = await db.selectFrom('risk_assessment').select('grade').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.grade, 'high')
  const last = await db.selectFrom('risk_assessment_version').select(['scored_grade', 'grade', 'judgement']).where('assessment_id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow()
  assert.equal(last.scored_grade, 'medium')
  assert.equal(last.grade, 'high')
  assert.deepEqual(last.judgement, { grade: 'high', reasons, raised: true })
  const confirmation = await page(`/risk-assessments/${id}/confirmation`, idva.cookies)
  assert.match(confirmation.body, /raised the grade from medium to high/)
})

test('the service never completes a judgement that lowers the grade, even if one was saved', async () => {
  const db = harbour.services.db
  const actor = { userId: idva.userId, organisationId: idva.organisationId, label: 'service test' }
  const id = await startAssessment(db, { organisationId: idva.organisationId, victimName: 'Jo Synthetic', victimDateOfBirth: '1990-05-05', instrumentId: PARTNER_CHECKLIST.id }, actor)
  const yes = yesNotAboutChildren(PARTNER_CHECKLIST, 14)
  await saveAssessment(db, id, { answers: Object.fromEntries(PARTNER_CHECKLIST.items.map((item) => [item.id, yes.has(item.id) ? 'yes' : 'no'])), judgement: { grade: 'medium', reasons: 'An attempt to lower a high grade.', raised: false } }, actor)
  const outcome = await completeAssessment(db, id, actor)
  assert.equal(outcome.ok, false)
  assert.ok(!outcome.ok && outcome.errors.some((error) => error.field === 'judgement.grade' && /never lower/.test(error.message)))
  assert.equal((await findAssessment(db, id))?.status, 'draft')
})

test('a graded tool asks for the assessor\'s grade, and that grade stands', async () => {
  const officer = await harbour.person(['police_officer'], { organisationType: 'police_force' })
  const id = await start(officer.cookies, POLICE_GRADED_TOOL)
  const next = await answerAll(officer.cookies, id, POLICE_GRADED_TOOL, new Set(['fear']))
  assert.equal(next, `/risk-assessments/${id}/grade`)
  const missing = await form(next, officer.cookies, { action: 'continue' })
  assert.equal(missing.statusCode, 400)
  assert.ok(missing.body.includes('href="#assessorGrade"'))
  const graded = await form(next, officer.cookies, { action: 'continue', assessorGrade: 'high' })
  assert.equal(graded.statusCode, 303)
  assert.equal(graded.headers.location, `/risk-assessments/${id}/judgement`)
  await form(`/risk-assessments/${id}/judgement`, officer.cookies, { action: 'continue', judgementGrade: 'keep' })
  await form(`/risk-assessments/${id}/check`, officer.cookies, { action: 'complete' })
  const row = await harbour.services.db.selectFrom('risk_assessment').select('grade').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.grade, 'high')
})

test('a change from check answers goes back to check answers, and each change is a version', async () => {
  const db = harbour.services.db
  const id = await start(idva.cookies, PARTNER_CHECKLIST, 30, 'Jo Synthetic')
  await answerAll(idva.cookies, id, PARTNER_CHECKLIST, new Set())
  await form(`/risk-assessments/${id}/judgement`, idva.cookies, { action: 'continue', judgementGrade: 'keep' })
  const check = await page(`/risk-assessments/${id}/check`, idva.cookies)
  assert.ok(check.body.includes(`/risk-assessments/${id}/details?return=check`))
  assert.ok(check.body.includes(`/risk-assessments/${id}/questions/2?return=check#answer-`))
  const before = (await db.selectFrom('risk_assessment_version').select('version').where('assessment_id', '=', id).execute()).length

  const details = await page(`/risk-assessments/${id}/details?return=check`, idva.cookies)
  assert.equal(details.statusCode, 200)
  assert.match(details.body, /value="Jo Synthetic"/)
  const dob = bornYearsAgo(31)
  const changed = await form(`/risk-assessments/${id}/details`, idva.cookies, { action: 'continue', return: 'check', victimName: 'Joanne Synthetic', 'victimDob-day': dob.day, 'victimDob-month': dob.month, 'victimDob-year': dob.year })
  assert.equal(changed.statusCode, 303, changed.body)
  assert.equal(changed.headers.location, `/risk-assessments/${id}/check`)
  const tooYoung = bornYearsAgo(14)
  const refused = await form(`/risk-assessments/${id}/details`, idva.cookies, { action: 'continue', return: 'check', victimName: 'Joanne Synthetic', 'victimDob-day': tooYoung.day, 'victimDob-month': tooYoung.month, 'victimDob-year': tooYoung.year })
  assert.equal(refused.statusCode, 400)
  assert.ok(refused.body.includes('href="#victimDob-day"'))

  // an answer changed to a Yes about children: back to check answers goes by the children page first
  const second = questionPages(PARTNER_CHECKLIST)[1]!
  const fields: Record<string, string> = { action: 'continue', return: 'check' }
  for (const item of second) fields[`answer-${item.id}`] = item.id === 'pregnancy-or-baby' ? 'yes' : 'no'
  const answered = await form(`/risk-assessments/${id}/questions/2`, idva.cookies, fields)
  assert.equal(answered.headers.location, `/risk-assessments/${id}/children?return=check`)
  const due = new Date(Date.parse(`${todayInLondon()}T12:00:00Z`) + 60 * 86_400_000)
  const child = await form(`/risk-assessments/${id}/children`, idva.cookies, {
    action: 'continue', return: 'check', slots: '3', 'child1-name': 'Unborn baby',
    'child1-dob-day': String(due.getUTCDate()), 'child1-dob-month': String(due.getUTCMonth() + 1), 'child1-dob-year': String(due.getUTCFullYear())
  })
  assert.equal(child.statusCode, 303, child.body)
  assert.equal(child.headers.location, `/risk-assessments/${id}/check`)

  const versions = await db.selectFrom('risk_assessment_version').select(['version', 'victim_name']).where('assessment_id', '=', id).orderBy('version').execute()
  assert.equal(versions.length, before + 3)
  assert.equal(versions.at(-1)!.victim_name, 'Joanne Synthetic')
  assert.equal(versions[0]!.victim_name, 'Jo Synthetic', 'the first version keeps the name as it was')
  const row = await db.selectFrom('risk_assessment').select('victim_name').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.victim_name, 'Joanne Synthetic')
})

test('the start page names each field wrong, and offers the young people\'s checklist only for ages 13 to 17', async () => {
  const empty = await form('/risk-assessments/new', idva.cookies, {})
  assert.equal(empty.statusCode, 400)
  for (const href of ['#victimName', '#victimDob-day', '#instrument']) assert.ok(empty.body.includes(`href="${href}"`), `the summary links to ${href}`)

  const adult = bornYearsAgo(25)
  const tooOld = await form('/risk-assessments/new', idva.cookies, { victimName: 'Sam Synthetic', 'victimDob-day': adult.day, 'victimDob-month': adult.month, 'victimDob-year': adult.year, instrument: YOUNG_PEOPLE_CHECKLIST.id })
  assert.equal(tooOld.statusCode, 400)
  assert.match(tooOld.body, /is for ages 13 to 17, and this person is 25/)

  const young = bornYearsAgo(14)
  const adultForYoung = await form('/risk-assessments/new', idva.cookies, { victimName: 'Sam Synthetic', 'victimDob-day': young.day, 'victimDob-month': young.month, 'victimDob-year': young.year, instrument: PARTNER_CHECKLIST.id })
  assert.equal(adultForYoung.statusCode, 400)
  assert.match(adultForYoung.body, /is for people aged 16 and over, and this person is 14/)

  const id = await start(idva.cookies, YOUNG_PEOPLE_CHECKLIST, 15)
  const first = await page(`/risk-assessments/${id}/questions/1`, idva.cookies)
  assert.equal(first.statusCode, 200)
  assert.match(first.body, /young person/)
  assert.match(first.body, new RegExp(`Questions 1 to ${QUESTIONS_PER_PAGE} of ${YOUNG_PEOPLE_CHECKLIST.items.length}`))

  const unanswered = await form(`/risk-assessments/${id}/questions/1`, idva.cookies, { action: 'continue' })
  assert.equal(unanswered.statusCode, 400)
  for (const item of questionPages(YOUNG_PEOPLE_CHECKLIST)[0]!) assert.ok(unanswered.body.includes(`href="#answer-${item.id}"`), `the summary links to ${item.id}`)
  assert.match(unanswered.body, /Select Yes, No or Don&#39;t know for question 6/)
  const page2 = await form(`/risk-assessments/${id}/questions/2`, idva.cookies, { action: 'continue' })
  assert.match(page2.body, /Select Yes, No or Don&#39;t know for question 7/)
})

test('another organisation cannot see or change an assessment (404); the partnership coordinator sees completed ones', async () => {
  const { id } = await completeWithYes(idva.cookies, 3)
  const draftId = await start(idva.cookies, PARTNER_CHECKLIST)
  for (const url of [`/risk-assessments/${id}`, `/risk-assessments/${id}/confirmation`, `/risk-assessments/${draftId}`, `/risk-assessments/${draftId}/questions/1`, `/risk-assessments/${draftId}/check`, `/risk-assessments/${draftId}/details`]) {
    const response = await page(url, otherIdva)
    assert.equal(response.statusCode, 404, `${url} answers 404 to another organisation`)
  }
  const post = await form(`/risk-assessments/${draftId}/questions/1`, otherIdva, { action: 'save', 'answer-injury': 'yes' })
  assert.equal(post.statusCode, 404)
  const versions = await harbour.services.db.selectFrom('risk_assessment_version').select('version').where('assessment_id', '=', draftId).execute()
  assert.equal(versions.length, 1, 'nothing was saved')
  const list = await page('/risk-assessments', otherIdva)
  assert.ok(!list.body.includes(id) && !list.body.includes(draftId), 'their list shows neither')

  const seen = await page(`/risk-assessments/${id}`, coordinator)
  assert.equal(seen.statusCode, 200)
  assert.match(seen.body, /Alex Synthetic/)
  assert.equal((await page(`/risk-assessments/${draftId}`, coordinator)).statusCode, 404, 'a draft is the assessor organisation\'s own')
  const coordinatorList = await page('/risk-assessments', coordinator)
  assert.ok(coordinatorList.body.includes(`/risk-assessments/${id}`))
  assert.ok(!coordinatorList.body.includes(draftId))
  assert.equal((await page('/risk-assessments/new', coordinator)).statusCode, 403)
})

test('creating, saving, completing and viewing are in the audit trail under who did them', async () => {
  const { id } = await completeWithYes(idva.cookies, 2)
  await page(`/risk-assessments/${id}`, idva.cookies)
  const entries = await harbour.services.db.selectFrom('audit_event').select(['action', 'actor_user_id', 'details'])
    .where('record_type', '=', 'risk-assessment').where('record_id', '=', id).orderBy('id').execute()
  const actions = entries.map((entry) => entry.action)
  for (const action of ['risk-assessment-create', 'risk-assessment-save', 'risk-assessment-complete', 'risk-assessment-view']) {
    assert.ok(actions.includes(action), `the trail has ${action} (it has ${[...new Set(actions)].join(', ')})`)
  }
  assert.ok(entries.every((entry) => entry.actor_user_id === idva.userId))
  const complete = entries.find((entry) => entry.action === 'risk-assessment-complete')
  assert.equal(complete?.details.grade, 'standard')
  assert.equal(complete?.details.yesCount, 2)
  assert.ok(entries.some((entry) => entry.action === 'risk-assessment-view' && entry.details.page === 'completed'))
})

test('scopes: a social worker (own) cannot open, list or change a colleague’s draft; an IDVA (team) sees a teammate’s, not another team’s', async () => {
  const db = harbour.services.db
  const first = await harbour.person(['social_worker'], { organisationType: 'childrens_social_care' })
  const second = await colleagueOf(first.organisationId, ['social_worker'])
  const draftId = await start(first.cookies, PARTNER_CHECKLIST, 30, 'Dana Synthetic')
  for (const url of [`/risk-assessments/${draftId}`, `/risk-assessments/${draftId}/questions/1`, `/risk-assessments/${draftId}/details`, `/risk-assessments/${draftId}/judgement`, `/risk-assessments/${draftId}/check`, `/risk-assessments/${draftId}/confirmation`]) {
    assert.equal((await page(url, second.cookies)).statusCode, 404, `${url} answers 404 to another social worker`)
  }
  for (const [url, fields] of [[`/risk-assessments/${draftId}/questions/1`, { action: 'save', 'answer-injury': 'yes' }], [`/risk-assessments/${draftId}/details`, { victimName: 'Changed' }], [`/risk-assessments/${draftId}/check`, { action: 'complete' }]] as const) {
    assert.equal((await form(url, second.cookies, fields)).statusCode, 404, `POST ${url} answers 404 to another social worker`)
  }
  assert.equal((await db.selectFrom('risk_assessment_version').select('version').where('assessment_id', '=', draftId).execute()).length, 1, 'nothing was saved')
  assert.ok(!(await page('/risk-assessments', second.cookies)).body.includes(draftId), 'their list does not show it')
  assert.ok((await page('/risk-assessments', first.cookies)).body.includes(draftId), 'the one who started it does')
  assert.equal((await page(`/risk-assessments/${draftId}/questions/1`, first.cookies)).statusCode, 200)

  // IDVAs (team): a teammate sees a completed assessment; an IDVA in no team, or another team, does not
  const { id } = await completeWithYes(idva.cookies, 3)
  const outsider = await colleagueOf(idva.organisationId, ['idva'])
  const otherTeam = await db.insertInto('team').values({ organisation_id: idva.organisationId, name: 'South team' }).returning('id').executeTakeFirstOrThrow()
  const southern = await colleagueOf(idva.organisationId, ['idva'], otherTeam.id)
  assert.equal((await page(`/risk-assessments/${id}`, colleague)).statusCode, 200, 'a teammate sees it')
  assert.ok((await page('/risk-assessments', colleague)).body.includes(`/risk-assessments/${id}`))
  for (const other of [outsider, southern]) {
    assert.equal((await page(`/risk-assessments/${id}`, other.cookies)).statusCode, 404, 'outside the team')
    assert.ok(!(await page('/risk-assessments', other.cookies)).body.includes(id))
  }
  // an IDVA in no team sees only their own
  const ownId = await start(outsider.cookies, PARTNER_CHECKLIST)
  assert.equal((await page(`/risk-assessments/${ownId}/questions/1`, outsider.cookies)).statusCode, 200)
  assert.equal((await page(`/risk-assessments/${ownId}/questions/1`, idva.cookies)).statusCode, 404)
})

test('thresholds are configuration: a configured medium threshold changes the grade at the edge; a bad stored value names the instrument and field', async () => {
  const db = harbour.services.db
  const actor = { userId: idva.userId, organisationId: idva.organisationId, label: 'service test' }
  const yes = yesNotAboutChildren(PARTNER_CHECKLIST, 9)
  const gradeOfNineYes = async () => {
    const id = await startAssessment(db, { organisationId: idva.organisationId, userId: idva.userId, victimName: 'Edge Synthetic', victimDateOfBirth: '1990-05-05', instrumentId: PARTNER_CHECKLIST.id }, actor)
    await saveAssessment(db, id, { answers: Object.fromEntries(PARTNER_CHECKLIST.items.map((item) => [item.id, yes.has(item.id) ? 'yes' : 'no'])) }, actor)
    const outcome = await completeAssessment(db, id, actor)
    assert.ok(outcome.ok, JSON.stringify(outcome))
    return outcome.graded.grade
  }
  try {
    assert.equal(await gradeOfNineYes(), 'standard', 'by default, medium starts at 10')
    // the command checks what it is given, and stores nothing it refuses
    await assert.rejects(riskThresholdsCommand(db, { instrument: PARTNER_CHECKLIST.id, high: '30' }), /partner-checklist.*thresholds\.high: 30 can never be reached/)
    await assert.rejects(riskThresholdsCommand(db, { instrument: POLICE_GRADED_TOOL.id, medium: '5' }), /no tick threshold/)
    await assert.rejects(riskThresholdsCommand(db, { instrument: PARTNER_CHECKLIST.id, medium: 'nine' }), /--medium must be a whole number/)
    assert.equal(await db.selectFrom('setting').select('key').where('key', '=', THRESHOLDS_SETTING).executeTakeFirst(), undefined)
    assert.equal(await riskThresholdsCommand(db, { instrument: PARTNER_CHECKLIST.id, medium: '9' }), 0)
    assert.equal(await gradeOfNineYes(), 'medium', 'configured: medium starts at 9')
    const audit = await db.selectFrom('audit_event').select('details').where('action', '=', 'risk-thresholds-change').orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.deepEqual(audit.details, { instrument: PARTNER_CHECKLIST.id, from: { medium: 10, high: 14 }, to: { medium: 9, high: 14 } })
    // a bad stored value is an error naming the instrument and the field, never a silent default
    await db.updateTable('setting').set({ value: JSON.stringify({ [PARTNER_CHECKLIST.id]: { medium: 12, high: 11 } }) }).where('key', '=', THRESHOLDS_SETTING).execute()
    await assert.rejects(thresholdOverrides(db), /partner-checklist: thresholds\.high: must be more than thresholds\.medium/)
    await db.updateTable('setting').set({ value: JSON.stringify({ [PARTNER_CHECKLIST.id]: { medium: '9' } }) }).where('key', '=', THRESHOLDS_SETTING).execute()
    await assert.rejects(thresholdOverrides(db), /partner-checklist: thresholds\.medium: must be a whole number/)
  } finally {
    await db.deleteFrom('setting').where('key', '=', THRESHOLDS_SETTING).execute()
  }
})

test('a completed assessment offers a referral to MARAC, filled in from it; someone who cannot see the assessment gets a blank form', async () => {
  const { id, confirmation } = await completeWithYes(idva.cookies, 14)
  assert.ok(confirmation.includes(`href="/marac/referrals/new?assessment=${id}"`), 'the confirmation offers the referral')
  const prefilled = await page(`/marac/referrals/new?assessment=${id}`, idva.cookies)
  assert.equal(prefilled.statusCode, 200)
  assert.ok(prefilled.body.includes(`name="assessmentId" value="${id}"`), 'the referral keeps a link to the assessment')
  assert.match(prefilled.body, /name="victim-firstName"[^>]*value="Alex"/)
  assert.match(prefilled.body, /name="victim-lastName"[^>]*value="Synthetic"/)
  assert.match(prefilled.body, /name="yesCount"[^>]*value="14"/)
  const outsider = await page(`/marac/referrals/new?assessment=${id}`, otherIdva)
  assert.equal(outsider.statusCode, 200)
  assert.ok(!outsider.body.includes('name="assessmentId"') && !outsider.body.includes('value="Alex"'), 'another service\'s IDVA learns nothing from the id')
})
