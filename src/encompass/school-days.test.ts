import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DEADLINE_RULES, deadlineUnder, londonTime, nextSchoolDayStart, isSchoolDay } from './school-days.ts'
import type { SchoolCalendar } from './school-days.ts'

// 2026-27, synthetic term dates in the shape councils publish; England's bank holidays
const calendar: SchoolCalendar = {
  terms: [
    { start: '2026-09-03', end: '2026-10-23' }, { start: '2026-11-02', end: '2026-12-18' },
    { start: '2027-01-05', end: '2027-02-12' }, { start: '2027-02-22', end: '2027-03-26' },
    { start: '2027-04-12', end: '2027-05-28' }, { start: '2027-06-07', end: '2027-07-21' }
  ],
  insetDays: ['2026-11-02', '2027-01-05'],
  bankHolidays: ['2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31'],
  dayStarts: '08:45'
}
const iso = (d: Date) => d.toISOString()

test('London wall-clock times across the clock changes', () => {
  assert.equal(iso(londonTime('2026-11-23', '08:45')), '2026-11-23T08:45:00.000Z', 'GMT in winter')
  assert.equal(iso(londonTime('2027-06-01', '08:45')), '2027-06-01T07:45:00.000Z', 'BST in summer')
  assert.equal(iso(londonTime('2027-03-28', '01:30')), '2027-03-28T01:30:00.000Z', 'a time in the spring gap reads as if the clocks had gone forward (02:30 BST)')
  assert.equal(iso(londonTime('2026-10-25', '08:45')), '2026-10-25T08:45:00.000Z', 'the day the clocks go back')
})

test('a report on a school-day evening is due at the next morning\'s start', () => {
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2026-11-24T19:30:00Z'))), '2026-11-25T08:45:00.000Z')
})

test('a report before the day starts is due that morning; a minute after, the next school day', () => {
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2026-11-25T08:44:00Z'))), '2026-11-25T08:45:00.000Z')
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2026-11-25T08:46:00Z'))), '2026-11-26T08:45:00.000Z')
})

test('a Friday night is due on Monday morning', () => {
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2026-11-27T23:10:00Z'))), '2026-11-30T08:45:00.000Z')
})

test('a Friday night before half term is due on the first day back, after an INSET day', () => {
  // half term 24 Oct - 1 Nov; 2 Nov is an INSET day
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2026-10-23T21:00:00Z'))), '2026-11-03T08:45:00.000Z')
})

test('Christmas: bank holidays on their substitute days, then an INSET day', () => {
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2026-12-24T20:00:00Z'))), '2027-01-06T08:45:00.000Z')
  assert.equal(isSchoolDay(calendar, '2027-01-05'), false)
})

test('Easter: Good Friday and Easter Monday, and the clocks going forward in the holiday', () => {
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2027-03-25T18:00:00Z'))), '2027-04-12T07:45:00.000Z', '08:45 BST')
})

test('a bank holiday Monday in term is skipped', () => {
  assert.equal(iso(nextSchoolDayStart(calendar, new Date('2027-04-30T17:00:00Z'))), '2027-05-04T07:45:00.000Z')
})

test('a setting with its own calendar (an academy) and its own start time', () => {
  const academy: SchoolCalendar = { ...calendar, terms: [{ start: '2026-09-01', end: '2026-10-16' }, { start: '2026-10-27', end: '2026-12-16' }], insetDays: [], dayStarts: '08:30' }
  assert.equal(iso(nextSchoolDayStart(academy, new Date('2026-10-23T21:00:00Z'))), '2026-10-27T08:30:00.000Z')
})

test('a calendar with no term dates ahead is an error, not a guess', () => {
  assert.throws(() => nextSchoolDayStart({ ...calendar, terms: [] }, new Date('2026-11-24T19:30:00Z')), /term dates need adding/)
})

test('an older local rule (noon of the next school day) gives a later deadline than the statutory start of day, and says it falls short', () => {
  const start = londonTime('2026-11-23', '08:45')
  assert.equal(deadlineUnder('statutory', start).toISOString(), start.toISOString())
  assert.equal(deadlineUnder('local-noon', start).toISOString(), '2026-11-23T12:00:00.000Z')
  // in summer time noon in London is 11:00 UTC
  assert.equal(deadlineUnder('local-noon', londonTime('2026-06-15', '08:30')).toISOString(), '2026-06-15T11:00:00.000Z')
  assert.equal(DEADLINE_RULES.statutory.meetsStatutoryStandard, true)
  assert.equal(DEADLINE_RULES['local-noon'].meetsStatutoryStandard, false)
})
