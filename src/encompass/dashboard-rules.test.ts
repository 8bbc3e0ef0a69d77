// The council dashboard's rules: on time, late or not yet due; at risk of missing the deadline; the
// share of settings signed up; durations; and "today" across the clock changes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deadlineStatus, describeDuration, escalationLabel, firstSeen, londonDay, londonStamp, percentReady, reviewAtRisk } from './dashboard-rules.ts'

const deadline = new Date('2026-01-15T08:45:00Z')
const at = (offsetMinutes: number) => new Date(deadline.getTime() + offsetMinutes * 60_000)

test('a notification opened before the deadline is on time, whenever we look', () => {
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: at(-30), acknowledgedAt: null }, at(-10)), 'on-time')
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: at(-30), acknowledgedAt: at(120) }, at(600)), 'on-time')
})

test('opened exactly at the deadline is on time; a minute after is late', () => {
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: deadline, acknowledgedAt: null }, at(5)), 'on-time')
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: at(1), acknowledgedAt: null }, at(5)), 'opened-late')
})

test('acknowledged by a school system without the page being opened counts as seen', () => {
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: null, acknowledgedAt: at(-5) }, at(60)), 'on-time')
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: null, acknowledgedAt: at(5) }, at(60)), 'opened-late')
  assert.deepEqual(firstSeen({ deadline, firstOpenedAt: at(10), acknowledgedAt: at(3) }), at(3))
  assert.equal(firstSeen({ deadline, firstOpenedAt: null, acknowledgedAt: null }), null)
})

test('unopened: not yet due before the deadline, late from the deadline on', () => {
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: null, acknowledgedAt: null }, at(-1)), 'pending')
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: null, acknowledgedAt: null }, deadline), 'late')
  assert.equal(deadlineStatus({ deadline, firstOpenedAt: null, acknowledgedAt: null }, at(60 * 24 * 3)), 'late')
})

test('a review is at risk inside the window and once the deadline has passed, not before', () => {
  assert.equal(reviewAtRisk(deadline, at(-121), 120), false)
  assert.equal(reviewAtRisk(deadline, at(-120), 120), true)
  assert.equal(reviewAtRisk(deadline, at(-5), 120), true)
  assert.equal(reviewAtRisk(deadline, at(30), 120), true)
  assert.equal(reviewAtRisk(deadline, at(-1), 0), false)
  assert.equal(reviewAtRisk(deadline, deadline, 0), true)
  assert.equal(reviewAtRisk(null, at(30), 120), false)
})

test('the share of settings ready rounds down, so 100% means every one', () => {
  assert.equal(percentReady(0, 4), 0)
  assert.equal(percentReady(1, 3), 33.3)
  assert.equal(percentReady(2, 3), 66.6)
  assert.equal(percentReady(9999, 10000), 99.9)
  assert.equal(percentReady(4, 4), 100)
  assert.equal(percentReady(0, 0), undefined)
})

test('durations read as words', () => {
  assert.equal(describeDuration(0), '0 minutes')
  assert.equal(describeDuration(1), '1 minute')
  assert.equal(describeDuration(45.4), '45 minutes')
  assert.equal(describeDuration(60), '1 hour')
  assert.equal(describeDuration(125), '2 hours 5 minutes')
  assert.equal(describeDuration(1440), '1 day')
  assert.equal(describeDuration(1440 * 3 + 250), '3 days 4 hours')
})

test('escalation levels have names', () => {
  assert.equal(escalationLabel(0), 'Not escalated')
  assert.equal(escalationLabel(1), 'Deputies told')
  assert.equal(escalationLabel(2), 'Council told')
})

test('today in London: midnight to midnight local time, 23 hours when the clocks go forward and 25 when they go back', () => {
  const winter = londonDay(new Date('2026-01-15T23:30:00Z'))
  assert.equal(winter.date, '2026-01-15')
  assert.equal(winter.start.toISOString(), '2026-01-15T00:00:00.000Z')
  assert.equal(winter.end.toISOString(), '2026-01-16T00:00:00.000Z')
  const summerLateEvening = londonDay(new Date('2026-06-10T23:30:00Z'))
  assert.equal(summerLateEvening.date, '2026-06-11', '00:30 BST is already the next day')
  assert.equal(summerLateEvening.start.toISOString(), '2026-06-10T23:00:00.000Z')
  const forward = londonDay(new Date('2026-03-29T12:00:00Z'))
  assert.equal(forward.end.getTime() - forward.start.getTime(), 23 * 3600_000)
  const back = londonDay(new Date('2026-10-25T12:00:00Z'))
  assert.equal(back.end.getTime() - back.start.getTime(), 25 * 3600_000)
})

test('times for a spreadsheet are UK local time', () => {
  assert.equal(londonStamp(new Date('2026-01-15T08:45:00Z')), '2026-01-15 08:45')
  assert.equal(londonStamp(new Date('2026-06-15T07:45:00Z')), '2026-06-15 08:45')
  assert.equal(londonStamp(null), '')
})
