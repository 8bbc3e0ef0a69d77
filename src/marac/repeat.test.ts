import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_ESCALATION_THRESHOLD, oneYearOn, potentialEscalation, repeatDecision, samePair, withinTwelveMonths } from './repeat.ts'
import type { PreviousReferral } from './repeat.ts'
import { addDays } from '../platform/time/london-time.ts'

const pair = { victimId: 'v1', perpetratorIds: ['p1'] }
const referral = (id: string, referredOn: string | Date, parties = pair): PreviousReferral => ({ id, referredOn, ...parties })
const repeatAfter = (from: string, days: number) => repeatDecision({ ...pair, on: addDays(from, days) }, [referral('r1', from)]).repeat

test('one year on: the same calendar date, and 29 February falls on 1 March', () => {
  assert.equal(oneYearOn('2026-03-10'), '2027-03-10')
  assert.equal(oneYearOn('2027-12-31'), '2028-12-31')
  assert.equal(oneYearOn('2028-02-29'), '2029-03-01')
  assert.equal(oneYearOn('2027-02-28'), '2028-02-28')
})

test('364 and 365 days after the last referral are a repeat; 366 is a new case (a year without 29 February)', () => {
  assert.deepEqual([364, 365, 366].map((days) => repeatAfter('2026-03-10', days)), [true, true, false])
  assert.equal(addDays('2026-03-10', 365), '2027-03-10', '365 days is the anniversary here')
})

test('across a 29 February the window is 366 days: 364, 365, 366 are repeats, 367 is not', () => {
  assert.deepEqual([364, 365, 366, 367].map((days) => repeatAfter('2027-06-01', days)), [true, true, true, false])
  assert.equal(addDays('2027-06-01', 366), '2028-06-01')
})

test('a referral on 29 February 2028: repeats run to 1 March 2029', () => {
  assert.equal(repeatAfter('2028-02-29', 365), true, '2029-02-28')
  assert.equal(repeatAfter('2028-02-29', 366), true, '2029-03-01, the anniversary of a leap day')
  assert.equal(repeatAfter('2028-02-29', 367), false, '2029-03-02')
  assert.equal(repeatAfter('2028-02-28', 366), true, 'from 28 Feb 2028 the window ends on 28 Feb 2029 (366 days)')
  assert.equal(repeatAfter('2028-02-28', 367), false, '1 Mar 2029 is a new case')
})

test('a repeat whatever its score, the same day included; the decision names the previous referral', () => {
  assert.deepEqual(repeatDecision({ ...pair, on: '2026-05-01' }, [referral('r1', '2026-05-01')]), {
    repeat: true, previousReferralId: 'r1', lastReferredOn: '2026-05-01', repeatWindowEnds: '2027-05-01',
    reason: 'A repeat: this victim and perpetrator were last referred on 2026-05-01, within 12 months (up to 2027-05-01)'
  })
  const late = repeatDecision({ ...pair, on: '2027-05-02' }, [referral('r1', '2026-05-01')])
  assert.equal(late.repeat, false)
  assert.equal(late.previousReferralId, 'r1', 'a new case still shows the earlier referral')
  assert.match(late.reason, /A new case: .* more than 12 months ago/)
})

test('the 12 months run from the LAST referral, not the first', () => {
  const history = [referral('r1', '2025-01-10'), referral('r2', '2026-01-05'), referral('r0', '2024-02-01')]
  const decision = repeatDecision({ ...pair, on: '2026-12-20' }, history)
  assert.equal(decision.repeat, true)
  assert.equal(decision.previousReferralId, 'r2')
})

test('later referrals are ignored, so a past referral is judged as it stood', () => {
  const decision = repeatDecision({ ...pair, on: '2026-06-01' }, [referral('r1', '2024-01-01'), referral('r3', '2026-09-01')])
  assert.equal(decision.repeat, false)
  assert.equal(decision.previousReferralId, 'r1')
})

test('the same victim with a different perpetrator, or a different victim, is not a repeat', () => {
  assert.equal(repeatDecision({ ...pair, on: '2026-06-01' }, [referral('r1', '2026-05-01', { victimId: 'v1', perpetratorIds: ['p2'] })]).repeat, false)
  assert.equal(repeatDecision({ ...pair, on: '2026-06-01' }, [referral('r1', '2026-05-01', { victimId: 'v2', perpetratorIds: ['p1'] })]).repeat, false)
  assert.deepEqual(repeatDecision({ ...pair, on: '2026-06-01' }, []), { repeat: false, reason: 'No earlier referral of this victim and perpetrator' })
})

test('the same pair: one shared perpetrator is enough; no perpetrator known is never the same pair', () => {
  assert.equal(samePair({ victimId: 'v1', perpetratorIds: ['p1', 'p2'] }, { victimId: 'v1', perpetratorIds: ['p2'] }), true)
  assert.equal(samePair({ victimId: 'v1', perpetratorIds: [] }, { victimId: 'v1', perpetratorIds: [] }), false)
})

test('instants are read as London dates: 23:30 UTC on a summer night is already the next day', () => {
  // last referral 1 June 2026; 1 June 2027 is the last day of the window
  const at = (instant: string) => repeatDecision({ ...pair, on: new Date(instant) }, [referral('r1', '2026-06-01')]).repeat
  assert.equal(at('2027-06-01T22:59:00Z'), true, '23:59 BST on 1 June')
  assert.equal(at('2027-06-01T23:00:00Z'), false, '00:00 BST on 2 June')
  assert.equal(withinTwelveMonths(new Date('2026-05-31T23:30:00Z'), '2027-06-01'), true, 'a referral at 00:30 BST on 1 June')
})

test('bad dates are errors naming the field', () => {
  assert.throws(() => repeatDecision({ ...pair, on: '2026-13-01' }, []), /on: "2026-13-01" is not a real date/)
  assert.throws(() => repeatDecision({ ...pair, on: '2026-06-01' }, [referral('r1', '1 May 2026')]), /previous\[0\]\.referredOn/)
})

test('potential escalation: police incidents in the 12 months up to today against 3, or a local threshold', () => {
  const incidents = ['2025-06-01', '2025-06-02', '2026-01-15', '2026-05-30', '2026-07-01']
  const check = potentialEscalation(incidents, '2026-06-01')
  assert.deepEqual(check, { count: 4, threshold: DEFAULT_ESCALATION_THRESHOLD, met: true, countedFrom: '2025-06-01' }, 'the anniversary counts; a later incident does not')
  assert.deepEqual(potentialEscalation(incidents, '2026-06-02'), { count: 3, threshold: 3, met: true, countedFrom: '2025-06-02' }, 'exactly the threshold is met')
  assert.deepEqual(potentialEscalation(incidents, '2026-06-03'), { count: 2, threshold: 3, met: false, countedFrom: '2025-06-03' })
  assert.equal(potentialEscalation(incidents, '2026-06-03', 2).met, true, 'a local threshold of 2')
  assert.equal(potentialEscalation([], '2026-06-02').count, 0)
})

test('potential escalation across 29 February, and a bad threshold', () => {
  assert.equal(potentialEscalation(['2028-02-29'], '2029-03-01').count, 1)
  assert.equal(potentialEscalation(['2028-02-29'], '2029-03-01').countedFrom, '2028-02-29')
  assert.equal(potentialEscalation(['2028-02-28'], '2029-03-01').count, 0)
  assert.throws(() => potentialEscalation([], '2026-06-01', 0), /threshold: must be a whole number of incidents, 1 or more, not 0/)
  assert.throws(() => potentialEscalation([], '2026-06-01', 2.5), /threshold/)
})
