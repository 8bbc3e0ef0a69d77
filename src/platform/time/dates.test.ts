import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ageOn, isIsoDate, londonDateTimeText } from './dates.ts'

test('age in whole years, a 29 February birthday coming on 1 March in other years', () => {
  assert.equal(ageOn('2009-11-23', '2026-11-23'), 17)
  assert.equal(ageOn('2009-11-24', '2026-11-23'), 16)
  assert.equal(ageOn('2008-02-29', '2026-02-28'), 17)
  assert.equal(ageOn('2008-02-29', '2026-03-01'), 18)
  assert.equal(ageOn('2008-02-29', '2028-02-29'), 20)
})

test('a real calendar date only', () => {
  assert.equal(isIsoDate('2028-02-29'), true)
  assert.equal(isIsoDate('2026-02-29'), false)
  assert.equal(isIsoDate('2026-2-01'), false)
})

test('an instant in words, in UK time across the clock change', () => {
  assert.equal(londonDateTimeText('2026-10-19T07:45:00Z'), '8:45am on Monday 19 October 2026')
  assert.equal(londonDateTimeText('2026-11-02T08:30:00Z'), '8:30am on Monday 2 November 2026')
  assert.equal(londonDateTimeText('2026-11-02T12:00:00Z'), 'midday on Monday 2 November 2026')
})
