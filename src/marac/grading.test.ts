import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MIN_JUDGEMENT_REASONS_LENGTH, gradeAssessment } from './grading.ts'
import type { AssessmentInput, GradedAssessment } from './grading.ts'
import { PARTNER_CHECKLIST, POLICE_CHECKLIST, POLICE_GRADED_TOOL, configureInstrument } from './instruments.ts'
import type { Answer, Instrument } from './instruments.ts'

const REASONS = 'Threats to kill last week and she believes them; separation two weeks ago.'

/** Answers with the first `yes` items Yes, then `dontKnow` items Don't know, the rest No (children's items last, so they stay No). */
function answers(instrument: Instrument, yes: number, dontKnow = 0): Record<string, Answer> {
  const ordered = [...instrument.items.filter((entry) => !entry.aboutChildren), ...instrument.items.filter((entry) => entry.aboutChildren)]
  return Object.fromEntries(ordered.map((entry, i) => [entry.id, i < yes ? 'yes' : i < yes + dontKnow ? 'dont-know' : 'no']))
}

function graded(instrument: Instrument, input: AssessmentInput): GradedAssessment {
  const outcome = gradeAssessment(instrument, input)
  if (!outcome.ok) assert.fail(JSON.stringify(outcome.errors))
  return outcome.assessment
}

function errorsOf(instrument: Instrument, input: AssessmentInput) {
  const outcome = gradeAssessment(instrument, input)
  if (outcome.ok) assert.fail('expected errors')
  return outcome.errors
}

test('the grade at the edges: 9 Yes standard, 10 medium, 13 medium, 14 high', () => {
  const at = (yes: number) => graded(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, yes) })
  assert.deepEqual([9, 10, 13, 14].map((yes) => at(yes).grade), ['standard', 'medium', 'medium', 'high'])
  assert.equal(at(13).visibleHighRisk, false)
  assert.equal(at(14).visibleHighRisk, true, '14 Yes meets the MARAC criterion of visible high risk')
  assert.deepEqual({ yes: at(14).yesCount, no: at(14).noCount, dontKnow: at(14).dontKnowCount }, { yes: 14, no: 10, dontKnow: 0 })
})

test('no Yes at all is standard, not a grade below it', () => {
  const none = graded(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 0, 24) })
  assert.equal(none.grade, 'standard')
  assert.equal(none.yesCount, 0)
})

test('Don\'t know never counts as Yes: 13 Yes and 11 Don\'t know is medium', () => {
  const result = graded(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 13, 11) })
  assert.equal(result.grade, 'medium')
  assert.equal(result.dontKnowCount, 11)
  assert.equal(result.noCount, 0)
})

test('the police variant grades all 27 questions the same way; a partnership\'s own thresholds apply', () => {
  assert.equal(graded(POLICE_CHECKLIST, { answers: answers(POLICE_CHECKLIST, 14) }).grade, 'high')
  const local = configureInstrument(PARTNER_CHECKLIST, { medium: 8, high: 12 })
  assert.deepEqual([7, 8, 11, 12].map((yes) => graded(local, { answers: answers(local, yes) }).grade), ['standard', 'medium', 'medium', 'high'])
})

test('every item must be answered: missing, unknown and invalid answers are each named', () => {
  const given: Record<string, string> = answers(PARTNER_CHECKLIST, 3)
  delete given.strangulation
  delete given['threats-to-kill']
  given['pet-abuse'] = 'yes'
  given.weapon = 'maybe'
  given.stalking = ''
  assert.deepEqual(errorsOf(PARTNER_CHECKLIST, { answers: given }), [
    { field: 'answers.stalking', message: 'is not answered: choose Yes, No or Don\'t know' },
    { field: 'answers.weapon', message: 'must be yes, no or dont-know, not "maybe"' },
    { field: 'answers.threats-to-kill', message: 'is not answered: choose Yes, No or Don\'t know' },
    { field: 'answers.strangulation', message: 'is not answered: choose Yes, No or Don\'t know' },
    { field: 'answers.pet-abuse', message: 'is not an item of Partner risk checklist (partner-checklist version 1)' }
  ])
})

test('an answer for an item of another instrument is unknown here (the police split of children\'s harm)', () => {
  const given: Record<string, string> = { ...answers(PARTNER_CHECKLIST, 0), 'children-hurt': 'no' }
  assert.deepEqual(errorsOf(PARTNER_CHECKLIST, { answers: given }).map((error) => error.field), ['answers.children-hurt'])
})

test('professional judgement raises a grade, with reasons', () => {
  const result = graded(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 9), judgement: { grade: 'high', reasons: `  ${REASONS}  ` } })
  assert.equal(result.scoredGrade, 'standard')
  assert.equal(result.grade, 'high')
  assert.deepEqual(result.judgement, { grade: 'high', reasons: REASONS, raised: true })
  assert.equal(result.visibleHighRisk, false, 'judgement is its own MARAC criterion, not visible high risk')
})

test('judgement that agrees with the grade changes nothing, and needs no reasons', () => {
  const result = graded(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 14), judgement: { grade: 'high' } })
  assert.equal(result.grade, 'high')
  assert.deepEqual(result.judgement, { grade: 'high', reasons: '', raised: false })
})

test('judgement never lowers a grade: refused, naming the field, with or without reasons', () => {
  for (const grade of ['medium', 'standard']) {
    const errors = errorsOf(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 14), judgement: { grade, reasons: REASONS } })
    assert.deepEqual(errors, [{ field: 'judgement.grade', message: `professional judgement may raise a grade but never lower it: the assessment gives high, so ${grade} is refused` }])
  }
  assert.equal(errorsOf(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 10), judgement: { grade: 'standard', reasons: REASONS } })[0]?.field, 'judgement.grade')
})

test('raising without reasons, or with reasons too short, is refused; an unknown grade is named', () => {
  const at9 = answers(PARTNER_CHECKLIST, 9)
  assert.deepEqual(errorsOf(PARTNER_CHECKLIST, { answers: at9, judgement: { grade: 'medium' } }), [{ field: 'judgement.reasons', message: 'are required to raise the grade from standard to medium' }])
  assert.deepEqual(errorsOf(PARTNER_CHECKLIST, { answers: at9, judgement: { grade: 'medium', reasons: '   ' } }).map((error) => error.field), ['judgement.reasons'])
  const short = 'x'.repeat(MIN_JUDGEMENT_REASONS_LENGTH - 1)
  assert.match(errorsOf(PARTNER_CHECKLIST, { answers: at9, judgement: { grade: 'medium', reasons: ` ${short} ` } })[0]?.message ?? '', /at least 20 characters/)
  assert.equal(graded(PARTNER_CHECKLIST, { answers: at9, judgement: { grade: 'medium', reasons: `${short}x` } }).grade, 'medium', 'exactly the minimum is enough')
  assert.deepEqual(errorsOf(PARTNER_CHECKLIST, { answers: at9, judgement: { grade: 'very high', reasons: REASONS } }), [{ field: 'judgement.grade', message: 'must be one of standard, medium, high, not "very high"' }])
})

test('the assessment lists the children\'s items answered Yes, so it concerns children', () => {
  const given = { ...answers(PARTNER_CHECKLIST, 2), 'children-in-household': 'yes', 'pregnancy-or-baby': 'yes', 'child-contact': 'dont-know' }
  const result = graded(PARTNER_CHECKLIST, { answers: given })
  assert.deepEqual(result.childItemsYes, ['pregnancy-or-baby', 'children-in-household'], 'in the instrument\'s order; Don\'t know is not listed')
  assert.equal(result.concernsChildren, true)
  assert.equal(graded(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 20) }).concernsChildren, false)
})

test('a graded tool: the assessor\'s grade, required and checked; judgement may still only raise it', () => {
  const given = answers(POLICE_GRADED_TOOL, 2)
  assert.equal(graded(POLICE_GRADED_TOOL, { answers: given, assessorGrade: 'high' }).visibleHighRisk, true, 'a high grade from 2 Yes: no tick threshold')
  assert.deepEqual(errorsOf(POLICE_GRADED_TOOL, { answers: given }).map((error) => error.field), ['assessorGrade'])
  assert.match(errorsOf(POLICE_GRADED_TOOL, { answers: given, assessorGrade: 'severe' })[0]?.message ?? '', /must be one of standard, medium, high/)
  assert.equal(graded(POLICE_GRADED_TOOL, { answers: given, assessorGrade: 'medium', judgement: { grade: 'high', reasons: REASONS } }).grade, 'high')
  assert.equal(errorsOf(POLICE_GRADED_TOOL, { answers: given, assessorGrade: 'high', judgement: { grade: 'medium', reasons: REASONS } })[0]?.field, 'judgement.grade')
})

test('a checklist refuses an assessor\'s grade (its grade is the count)', () => {
  assert.deepEqual(errorsOf(PARTNER_CHECKLIST, { answers: answers(PARTNER_CHECKLIST, 3), assessorGrade: 'high' }).map((error) => error.field), ['assessorGrade'])
})

test('the result records which instrument and version graded it', () => {
  const result = graded(POLICE_CHECKLIST, { answers: answers(POLICE_CHECKLIST, 1) })
  assert.deepEqual([result.instrumentId, result.instrumentVersion], ['police-checklist', 1])
})
