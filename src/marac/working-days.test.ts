import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addWorkingDays, idvaContactDue, isWorkingDay, minutesDue, nextWorkingDay, timeliness, workingDaysBetween } from './working-days.ts'

test('weekends and England\'s bank holidays (on their substitute days) are not working days', () => {
  assert.deepEqual(['2026-05-22', '2026-05-23', '2026-05-24', '2026-05-25', '2026-05-26'].map(isWorkingDay), [true, false, false, false, true])
  assert.equal(isWorkingDay('2026-12-28'), false, 'Boxing Day 2026 is a Saturday: the bank holiday is Monday 28 December')
  assert.equal(isWorkingDay('2027-12-28'), false, 'Christmas 2027 falls at the weekend: Monday 27 and Tuesday 28 are the bank holidays')
  assert.equal(isWorkingDay('2027-12-29'), true)
})

test('the IDVA\'s contact over the late May bank holiday weekend', () => {
  assert.equal(idvaContactDue('2026-05-21'), '2026-05-26', 'Thursday: Friday, then Tuesday')
  assert.equal(idvaContactDue('2026-05-22'), '2026-05-27', 'Friday: Tuesday, Wednesday')
  assert.equal(idvaContactDue('2026-05-23'), '2026-05-27', 'a Saturday referral: the same')
  assert.equal(idvaContactDue('2026-05-25'), '2026-05-27', 'a referral on the bank holiday itself')
})

test('the day is London\'s: a referral at 00:30 BST on Friday is a Friday referral', () => {
  assert.equal(idvaContactDue(new Date('2026-05-21T22:59:00Z')), '2026-05-26', '23:59 BST on Thursday')
  assert.equal(idvaContactDue(new Date('2026-05-21T23:30:00Z')), '2026-05-27', '00:30 BST on Friday')
})

test('minutes over Christmas and New Year', () => {
  assert.equal(minutesDue('2026-12-23'), '2026-12-30', 'Wednesday 23 Dec 2026: 24, 29, 30 (25 and 28 are bank holidays)')
  assert.equal(minutesDue('2026-12-24'), '2026-12-31')
  assert.equal(minutesDue('2026-12-30'), '2027-01-05', '31 Dec, then 1 Jan is a bank holiday: 4 and 5 Jan')
  assert.equal(minutesDue('2027-12-23'), '2027-12-30', 'Christmas 2027 at the weekend: 24, then 29 and 30')
  assert.equal(idvaContactDue('2027-12-24'), '2027-12-30')
})

test('Easter, with the clocks going forward in it', () => {
  assert.equal(idvaContactDue('2027-03-25'), '2027-03-31', 'Good Friday 26 and Easter Monday 29 March 2027')
})

test('counting and stepping working days', () => {
  assert.equal(addWorkingDays('2026-05-22', 0), '2026-05-22')
  assert.throws(() => addWorkingDays('2026-05-22', -1), /days: must be a whole number, 0 or more/)
  assert.equal(nextWorkingDay('2026-12-25'), '2026-12-29')
  assert.equal(nextWorkingDay('2026-12-29'), '2026-12-29')
  assert.equal(workingDaysBetween('2026-12-23', '2026-12-31'), 4, '24, 29, 30, 31')
  assert.equal(workingDaysBetween('2026-12-31', '2026-12-23'), 0)
  assert.equal(workingDaysBetween('2026-05-22', '2026-05-25'), 0, 'over a bank holiday weekend')
})

test('is it late: done on the due date is on time; after it, late; not done, due until the day after', () => {
  const due = idvaContactDue('2026-05-22') // Wednesday 27 May
  assert.deepEqual(timeliness(due, '2026-05-27', '2026-06-10'), { status: 'done on time', late: false, due: '2026-05-27', workingDaysLate: 0 })
  assert.deepEqual(timeliness(due, new Date('2026-05-27T22:30:00Z'), '2026-06-10'), { status: 'done on time', late: false, due: '2026-05-27', workingDaysLate: 0 }, '23:30 BST on the due date')
  assert.deepEqual(timeliness(due, '2026-05-29', '2026-06-10'), { status: 'done late', late: true, due: '2026-05-27', workingDaysLate: 2 })
  assert.deepEqual(timeliness(due, undefined, '2026-05-27'), { status: 'due', late: false, due: '2026-05-27', workingDaysLate: 0 })
  assert.deepEqual(timeliness(due, undefined, '2026-06-01'), { status: 'overdue', late: true, due: '2026-05-27', workingDaysLate: 3 })
})

test('a weekend after a Friday due date: late by date, 0 working days late', () => {
  assert.deepEqual(timeliness('2026-06-05', '2026-06-06', '2026-06-08'), { status: 'done late', late: true, due: '2026-06-05', workingDaysLate: 0 })
})
