// A referral checked field by field: each problem named by its path; what it says turned into the
// criteria it meets (a repeat is decided later, against the earlier referrals).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { statedCriteria, validateReferral, VISIBLE_HIGH_RISK_YES } from './referrals.ts'

const valid = {
  referralReference: 'R1', areaCode: 'HBC', referrer: { name: 'PC Synthetic' },
  victim: { firstName: 'Rosa', lastName: 'Synthetic', dateOfBirth: '1990-02-03', address: '1 Road' },
  perpetrators: [{ firstName: 'Dean', lastName: 'Synthetic', relationshipToVictim: 'Ex-partner' }],
  children: [{ firstName: 'Mia', lastName: 'Synthetic', dateOfBirth: '2017-03-04', relationshipToVictim: 'Daughter', relationshipToPerpetrators: ['Daughter'] }],
  criteria: { riskAssessmentYesCount: 14 }, consent: 'given', victimKnows: true
}

test('a valid referral: defaults filled in (diversity not known, child in the household, not high priority)', () => {
  const result = validateReferral(valid, '2026-11-23')
  assert.ok(result.ok)
  assert.deepEqual(result.referral.victim.diversity, { gender: 'not-known', ethnicity: 'not-known', lgbt: 'not-known', disabled: 'not-known' })
  assert.equal(result.referral.children[0]?.livesInHousehold, true)
  assert.equal(result.referral.highPriority, false)
})

test('every problem is named by its path', () => {
  const result = validateReferral({
    ...valid, victim: { ...valid.victim, dateOfBirth: '2026-11-24', safeContactNumber: 'call me' },
    perpetrators: [{ firstName: 'Dean' }], children: [{ ...valid.children[0], relationshipToPerpetrators: ['a', 'b'], livesInHousehold: 'yes' }],
    criteria: { professionalJudgement: 'too short', policeIncidentDates: ['2026-02-30'] }, victimKnows: undefined
  }, '2026-11-23')
  assert.ok(!result.ok)
  assert.deepEqual(result.errors.map((e) => e.field), [
    'victim.dateOfBirth', 'victim.safeContactNumber', 'perpetrators[0].lastName', 'perpetrators[0].relationshipToVictim',
    'children[0].relationshipToPerpetrators', 'children[0].livesInHousehold', 'criteria.professionalJudgement', 'criteria.policeIncidentDates[0]', 'victimKnows'
  ])
  assert.deepEqual(validateReferral([], '2026-11-23'), { ok: false, errors: [{ field: '(body)', message: 'must be a JSON object' }] })
})

test('the criteria a referral meets by what it says', () => {
  assert.deepEqual(statedCriteria({ riskAssessmentYesCount: VISIBLE_HIGH_RISK_YES - 1, policeIncidentDates: [] }, { met: false }), [])
  assert.deepEqual(statedCriteria({ riskAssessmentYesCount: VISIBLE_HIGH_RISK_YES, policeIncidentDates: [] }, { met: false }), ['visible-high-risk'])
  assert.deepEqual(statedCriteria({ professionalJudgement: 'Strangulation last week and threats to kill', policeIncidentDates: [] }, { met: true }), ['professional-judgement', 'potential-escalation'])
})
