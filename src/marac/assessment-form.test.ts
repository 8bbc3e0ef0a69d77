// The risk assessment journey's pure form rules: pages of questions, age on a day (leap-day births),
// the start page's age rule, a question page's answers, the children page and professional judgement.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PARTNER_CHECKLIST, POLICE_CHECKLIST, POLICE_GRADED_TOOL, YOUNG_PEOPLE_CHECKLIST } from './instruments.ts'
import {
  QUESTIONS_PER_PAGE, checkAnswers, checkChildren, checkStart, firstIncompletePage, formProblemsFromGrading, judgementFromForm, pageOfItem, questionPages
} from './assessment-form.ts'
import { gradeAssessment } from './grading.ts'

test('questions are split into pages of a few, every item on exactly one page', () => {
  for (const instrument of [PARTNER_CHECKLIST, POLICE_CHECKLIST, YOUNG_PEOPLE_CHECKLIST, POLICE_GRADED_TOOL]) {
    const pages = questionPages(instrument)
    assert.equal(pages.length, Math.ceil(instrument.items.length / QUESTIONS_PER_PAGE))
    assert.deepEqual(pages.flat().map((item) => item.id), instrument.items.map((item) => item.id))
    for (const [i, items] of pages.entries()) for (const item of items) assert.equal(pageOfItem(instrument, item.id), i + 1)
  }
  assert.equal(firstIncompletePage(PARTNER_CHECKLIST, {}), 1)
  const allButLast = Object.fromEntries(PARTNER_CHECKLIST.items.slice(0, -1).map((item) => [item.id, 'no']))
  assert.equal(firstIncompletePage(PARTNER_CHECKLIST, allButLast), questionPages(PARTNER_CHECKLIST).length)
  assert.equal(firstIncompletePage(PARTNER_CHECKLIST, { ...allButLast, [PARTNER_CHECKLIST.items.at(-1)!.id]: 'dont-know' }), undefined)
})

const start = (dob: string, instrument: string) => {
  const [year, month, day] = dob.split('-')
  return checkStart({ victimName: 'Sam Synthetic', 'victimDob-day': day!, 'victimDob-month': month!, 'victimDob-year': year!, instrument }, '2026-11-23')
}

test('the young people\'s checklist is for 13 to 17, the adult ones for 16 and over', () => {
  assert.ok(start('2013-11-23', YOUNG_PEOPLE_CHECKLIST.id).instrument, 'aged 13 on the day')
  assert.ok(start('2009-11-24', YOUNG_PEOPLE_CHECKLIST.id).instrument, 'aged 16: either')
  assert.ok(start('2009-11-24', PARTNER_CHECKLIST.id).instrument)
  assert.ok(start('2008-11-24', YOUNG_PEOPLE_CHECKLIST.id).instrument, 'aged 17 until tomorrow')
  assert.match(start('2008-11-23', YOUNG_PEOPLE_CHECKLIST.id).problems[0]!.message, /ages 13 to 17, and this person is 18/)
  assert.match(start('2013-11-24', YOUNG_PEOPLE_CHECKLIST.id).problems[0]!.message, /None of these checklists is for someone aged 12/)
  assert.match(start('2011-01-01', PARTNER_CHECKLIST.id).problems[0]!.message, /16 and over, and this person is 15: choose the Young people's risk checklist/)
  assert.deepEqual(start('2030-01-01', PARTNER_CHECKLIST.id).problems.map((p) => p.field), ['victimDob'])
  assert.deepEqual(checkStart({}, '2026-11-23').problems.map((p) => p.field), ['victimName', 'victimDob', 'instrument'])
})

test('a question page: continuing needs every item, saving for later keeps what is answered', () => {
  const items = questionPages(PARTNER_CHECKLIST)[0]!
  const values = { 'answer-injury': 'yes', 'answer-fear': 'dont-know' }
  assert.deepEqual(checkAnswers(values, items, false), { answers: { injury: 'yes', fear: 'dont-know' }, problems: [] })
  const strict = checkAnswers(values, items, true)
  assert.deepEqual(strict.problems.map((p) => p.field), items.slice(2).map((item) => `answer-${item.id}`))
  assert.equal(strict.problems[0]?.message, 'Select Yes, No or Don\'t know for question 3')
  assert.equal(checkAnswers({}, questionPages(PARTNER_CHECKLIST)[1]!, true, 7).problems[0]?.message, 'Select Yes, No or Don\'t know for question 7')
  assert.deepEqual(checkAnswers({ 'answer-injury': 'maybe' }, items, false).problems.map((p) => p.field), ['answer-injury'])
})

test('the children page: a name and a real date of birth each, under 18, or an unborn baby\'s expected date', () => {
  const today = '2026-11-23'
  const ok = checkChildren({ 'child1-name': 'Sky', 'child1-dob-day': '14', 'child1-dob-month': '6', 'child1-dob-year': '2019', 'child2-name': 'Unborn baby', 'child2-dob-day': '1', 'child2-dob-month': '3', 'child2-dob-year': '2027' }, 3, today, true)
  assert.deepEqual(ok, { children: [{ name: 'Sky', dateOfBirth: '2019-06-14' }, { name: 'Unborn baby', dateOfBirth: '2027-03-01' }], problems: [] })
  assert.deepEqual(checkChildren({}, 3, today, true).problems.map((p) => p.field), ['child1-name'])
  assert.deepEqual(checkChildren({}, 3, today, false), { children: [], problems: [] })
  const wrong = checkChildren({ 'child1-name': 'Adult', 'child1-dob-day': '1', 'child1-dob-month': '1', 'child1-dob-year': '2000', 'child2-dob-day': '1', 'child3-name': 'Far', 'child3-dob-day': '1', 'child3-dob-month': '1', 'child3-dob-year': '2029' }, 3, today, true)
  assert.deepEqual(wrong.problems.map((p) => p.field), ['child1-dob', 'child2-name', 'child2-dob', 'child3-dob'])
  assert.equal(wrong.children.length, 0)
})

test('professional judgement: keep, or a grade that grading may refuse with the field named', () => {
  assert.deepEqual(judgementFromForm({ judgementGrade: 'keep' }), { problems: [] })
  assert.deepEqual(judgementFromForm({}).problems.map((p) => p.field), ['judgementGrade'])
  const lower = judgementFromForm({ judgementGrade: 'standard', judgementReasons: '' })
  const answers = Object.fromEntries(PARTNER_CHECKLIST.items.map((item, i) => [item.id, i < 14 ? 'yes' : 'no']))
  const graded = gradeAssessment(PARTNER_CHECKLIST, { answers, judgement: lower.judgement! })
  assert.equal(graded.ok, false)
  const problems = formProblemsFromGrading(graded.ok ? [] : graded.errors, PARTNER_CHECKLIST)
  assert.equal(problems[0]?.field, 'judgementGrade')
  assert.match(problems[0]!.message, /^Professional judgement may raise a grade but never lower it/)
})
