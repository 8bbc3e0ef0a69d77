import { test } from 'node:test'
import assert from 'node:assert/strict'
import { daysBetween, londonDate } from './dates.ts'

test('an instant is read as its London date, across the clock changes', () => {
  assert.equal(londonDate(new Date('2026-06-01T23:30:00Z')), '2026-06-02', 'BST: 00:30 the next day')
  assert.equal(londonDate(new Date('2026-12-01T23:30:00Z')), '2026-12-01', 'GMT: still the same day')
  assert.equal(londonDate('2028-02-29'), '2028-02-29')
})

test('a date that is not real is an error naming the field', () => {
  assert.throws(() => londonDate('2027-02-29', 'referredOn'), /referredOn: "2027-02-29" is not a real date/)
  assert.throws(() => londonDate(new Date('nonsense'), 'heardAt'), /heardAt: is not a real instant/)
})

test('days between dates, over a leap day and backwards', () => {
  assert.equal(daysBetween('2026-03-01', '2026-03-02'), 1)
  assert.equal(daysBetween('2028-02-28', '2028-03-01'), 2)
  assert.equal(daysBetween('2026-03-10', '2027-03-10'), 365)
  assert.equal(daysBetween('2027-03-10', '2028-03-10'), 366)
  assert.equal(daysBetween('2026-03-02', '2026-03-01'), -1)
  assert.equal(daysBetween('2026-03-29', '2026-03-30'), 1, 'the day the clocks go forward is still one day')
})
