// The police incident form: its fields as the API's body (UK time, blank sections ignored), and
// validateIncident's field paths back on the form's own fields in GOV.UK words.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formProblemsFrom, formValues, incidentFromForm } from './incident-form.ts'
import { validateIncident } from './incident.ts'

const NOW = new Date('2026-11-23T12:00:00Z')

const FORM = {
  policeReference: ' HPF/1 ', 'occurredAt-day': '1', 'occurredAt-month': '7', 'occurredAt-year': '2026', occurredTime: '21.15',
  location: 'Home', circumstances: 'Shouting heard', riskGrade: 'not-assessed',
  'adultB-firstName': 'Lee', 'adultB-lastName': 'Example',
  'child2-firstName': 'Ada', 'child2-lastName': 'Example', 'child2-dob-day': '9', 'child2-dob-month': '4', 'child2-dob-year': '2016', 'child2-present': 'yes', 'child2-spokenTo': 'not-recorded',
  'child3-gender': 'not-recorded', 'child3-spokenTo': 'not-recorded',
  'child4-firstName': 'Bo', 'child4-lastName': 'Example', 'child4-dob-day': '1', 'child4-dob-month': '1', 'child4-dob-year': '2015', 'child4-present': 'no', 'child4-gender': 'M', 'child4-educationSettingUrn': '99'
}

test('the form becomes the API\'s body: UK time, not assessed as null, blank and "not recorded" sections ignored', () => {
  const form = incidentFromForm(formValues(FORM))
  assert.deepEqual(form.problems, [])
  assert.deepEqual(form.slots, [2, 4])
  assert.deepEqual(form.adultLabels, ['B'])
  assert.equal(form.body.occurredAt, '2026-07-01T20:15:00.000Z', '21:15 in July is British Summer Time')
  assert.equal(form.body.riskGrade, null)
  assert.equal(form.body.policeReference, 'HPF/1')
  assert.deepEqual(form.body.children, [
    { firstName: 'Ada', lastName: 'Example', dateOfBirth: '2016-04-09', present: true },
    { firstName: 'Bo', lastName: 'Example', dateOfBirth: '2015-01-01', present: false, educationSettingUrn: '99', gender: 'M' }
  ])
})

test('validateIncident\'s paths land on the right section of the form', () => {
  const form = incidentFromForm(formValues({ ...FORM, 'adultB-lastName': '' }))
  const checked = validateIncident(form.body, NOW)
  assert.equal(checked.ok, false)
  assert.deepEqual(checked.ok ? [] : formProblemsFrom(checked.errors, form.slots, form.adultLabels), [
    { field: 'adultB-lastName', message: 'Enter adult B\'s last name' },
    { field: 'child4-educationSettingUrn', message: 'Child 4\'s school URN must be 6 digits, like 990001' }
  ])
})

test('the form\'s own problems: dates, time, risk grade, presence, no child at all', () => {
  const form = incidentFromForm(formValues({
    ...FORM, 'occurredAt-day': '31', 'occurredAt-month': '6', occurredTime: '25:00', riskGrade: '', 'child2-present': '', 'child4-dob-year': '15'
  }))
  assert.deepEqual(form.problems, [
    { field: 'occurredAt-day', message: 'The date of the incident must be a real date' },
    { field: 'occurredTime', message: 'Enter the time of the incident using the 24-hour clock, like 21:15' },
    { field: 'riskGrade', message: 'Select the risk grade, or select not assessed' },
    { field: 'child2-present', message: 'Select whether child 2 was present' },
    { field: 'child4-dob-day', message: 'Child 4\'s date of birth must be a real date, with a 4-digit year' }
  ])
  assert.deepEqual(incidentFromForm(formValues({ policeReference: 'HPF/2' })).problems.map((p) => p.field), ['occurredAt-day', 'occurredTime', 'riskGrade', 'child1-firstName'])
})
