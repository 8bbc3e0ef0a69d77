// Opening hours at their edges: a night that crosses midnight, weekends, bank holidays (and a
// weekend holiday's substitute day), and both clock changes, including a night the clocks change in.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { londonInstant, londonWallClock } from '../platform/time/london-time.ts'
import { englandBankHolidays, isEnglandBankHoliday } from '../platform/time/bank-holidays.ts'
import {
  DAYS, WEEKDAYS, asOpeningHours, describePeriod, describeState, describeWeek, openState, parsePeriods, parseTime, spokenTime, weekly
} from './opening-hours.ts'
import type { Day, OpeningHours, OpenState, Period } from './opening-hours.ts'

const at = (iso: string) => new Date(iso).getTime()
const iso = (instant: number | undefined) => (instant === undefined ? undefined : new Date(instant).toISOString().replace('.000', ''))
const every = (periods: Period[], days: readonly Day[] = DAYS) => Object.fromEntries(days.map((day) => [day, periods])) as Partial<Record<Day, Period[]>>
const NIGHT: Period = { opens: '21:00', closes: '02:00' }
const OFFICE: Period = { opens: '09:00', closes: '17:00' }

function open(state: OpenState): string | undefined {
  assert.equal(state.status, 'open', `expected open, got ${JSON.stringify(state)}`)
  return state.status === 'open' ? iso(state.closes) : undefined
}
function closed(state: OpenState): string | undefined {
  assert.equal(state.status, 'closed', `expected closed, got ${JSON.stringify(state)}`)
  return state.status === 'closed' ? iso(state.opens) : undefined
}

test('London time: the skipped hour in March and the repeated hour in October', () => {
  // 29 March 2026: at 01:00 GMT the clocks go forward to 02:00 BST.
  assert.deepEqual(londonWallClock(at('2026-03-29T00:59:00Z')), { date: '2026-03-29', weekday: 6, minutes: 59, offset: 0 })
  assert.deepEqual(londonWallClock(at('2026-03-29T01:00:00Z')), { date: '2026-03-29', weekday: 6, minutes: 120, offset: 60 })
  assert.equal(iso(londonInstant('2026-03-29', 60)), '2026-03-29T01:00:00Z', '01:00 never happens: read as GMT, it is 02:00 BST')
  assert.equal(iso(londonInstant('2026-03-29', 90)), '2026-03-29T01:30:00Z', '01:30 never happens: it becomes 02:30 BST')
  assert.equal(iso(londonInstant('2026-03-29', 120)), '2026-03-29T01:00:00Z')
  // 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT, so 01:00 to 02:00 happens twice.
  assert.equal(iso(londonInstant('2026-10-25', 90)), '2026-10-25T00:30:00Z', 'the first 01:30 (BST)')
  assert.equal(iso(londonInstant('2026-10-25', 120)), '2026-10-25T02:00:00Z')
  assert.deepEqual(londonWallClock(at('2026-10-25T01:30:00Z')), { date: '2026-10-25', weekday: 6, minutes: 90, offset: 0 })
  assert.equal(iso(londonInstant('2026-07-01', 9 * 60)), '2026-07-01T08:00:00Z')
  assert.equal(iso(londonInstant('2026-12-31', 1440)), '2027-01-01T00:00:00Z', '24:00 is the next midnight')
})

test("England's bank holidays: a weekend holiday counts only on its substitute weekday", () => {
  assert.ok(isEnglandBankHoliday('2026-05-04'), 'Early May bank holiday, a Monday')
  assert.ok(isEnglandBankHoliday('2026-08-31'), 'Summer bank holiday')
  assert.ok(isEnglandBankHoliday('2026-04-03'), 'Good Friday')
  assert.ok(!isEnglandBankHoliday('2026-04-05'), 'Easter Sunday is not a bank holiday')
  // 2026: Boxing Day is a Saturday; the bank holiday is Monday 28 December.
  assert.ok(isEnglandBankHoliday('2026-12-25'))
  assert.ok(!isEnglandBankHoliday('2026-12-26'))
  assert.ok(isEnglandBankHoliday('2026-12-28'))
  // 2027: Christmas Day and Boxing Day are a weekend; the bank holidays are 27 and 28 December.
  assert.deepEqual([...englandBankHolidays(2027)].filter((d) => d >= '2027-12-01'), ['2027-12-27', '2027-12-28'])
  assert.equal(englandBankHolidays(2026).size, 8)
  assert.ok(!isEnglandBankHoliday('2026-05-05'))
})

test('a service open 21:00 to 02:00: open after midnight, closed in the day, next opens tonight', () => {
  const hours = weekly(every([NIGHT]), { kind: 'usual' })
  // Wednesday 15 July 2026 (BST)
  assert.equal(closed(openState(hours, at('2026-07-15T12:00:00Z'))), '2026-07-15T20:00:00Z')
  assert.equal(open(openState(hours, at('2026-07-15T20:00:00Z'))), '2026-07-16T01:00:00Z', 'opens at 21:00 BST, closes at 02:00 BST')
  assert.equal(open(openState(hours, at('2026-07-15T23:30:00Z'))), '2026-07-16T01:00:00Z', 'half past midnight: still open')
  assert.equal(closed(openState(hours, at('2026-07-16T01:00:00Z'))), '2026-07-16T20:00:00Z', 'closed at 02:00 exactly')
  assert.equal(describeState(openState(hours, at('2026-07-15T20:30:00Z')), at('2026-07-15T20:30:00Z')), 'Open now until 2am tomorrow')
  assert.equal(describeState(openState(hours, at('2026-07-15T23:30:00Z')), at('2026-07-15T23:30:00Z')), 'Open now until 2am')
  assert.equal(describeState(openState(hours, at('2026-07-16T08:00:00Z')), at('2026-07-16T08:00:00Z')), 'Closed now. Opens today at 9pm')
})

test('a night service closed on Sundays: Saturday night runs on into Sunday morning, then nothing until Monday night', () => {
  const hours = weekly(every([NIGHT], ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']))
  // Sunday 19 July 2026, 01:00 BST: Saturday's night is still running.
  assert.equal(open(openState(hours, at('2026-07-19T00:00:00Z'))), '2026-07-19T01:00:00Z')
  const sundayMorning = at('2026-07-19T09:00:00Z')
  assert.equal(closed(openState(hours, sundayMorning)), '2026-07-20T20:00:00Z')
  assert.equal(describeState(openState(hours, sundayMorning), sundayMorning), 'Closed now. Opens tomorrow at 9pm')
})

test('the night the clocks go forward (last Sunday of March): the overnight service closes at 02:00 BST, an hour early by the clock on the wall', () => {
  const hours = weekly(every([NIGHT]))
  // Saturday 28 March 2026, 21:00 GMT; clocks go forward at 01:00 GMT on Sunday 29 March.
  const opens = at('2026-03-28T21:00:00Z')
  assert.equal(open(openState(hours, opens)), '2026-03-29T01:00:00Z', 'closes at 02:00 BST, which is 01:00 UTC')
  assert.equal(open(openState(hours, at('2026-03-29T00:59:00Z'))), '2026-03-29T01:00:00Z', '00:59 GMT: still open')
  assert.equal(closed(openState(hours, at('2026-03-29T01:00:00Z'))), '2026-03-29T20:00:00Z', '02:00 BST: closed; opens at 21:00 BST')
  assert.equal((at('2026-03-29T01:00:00Z') - opens) / 3_600_000, 4, 'the night is four hours long')
  const early = at('2026-03-29T01:10:00Z')
  assert.equal(describeState(openState(hours, early), early), 'Closed now. Opens today at 9pm')
})

test('the night the clocks go back (last Sunday of October): the overnight service stays open through the repeated hour', () => {
  const hours = weekly(every([NIGHT]))
  // Saturday 24 October 2026, 21:00 BST = 20:00 UTC; clocks go back at 02:00 BST (01:00 UTC) on Sunday 25 October.
  const opens = at('2026-10-24T20:00:00Z')
  assert.equal(open(openState(hours, opens)), '2026-10-25T02:00:00Z', 'closes at 02:00 GMT')
  assert.equal(open(openState(hours, at('2026-10-25T00:30:00Z'))), '2026-10-25T02:00:00Z', 'the first 01:30 (BST)')
  assert.equal(open(openState(hours, at('2026-10-25T01:30:00Z'))), '2026-10-25T02:00:00Z', 'the second 01:30 (GMT)')
  assert.equal(closed(openState(hours, at('2026-10-25T02:00:00Z'))), '2026-10-25T21:00:00Z', 'then 21:00 GMT')
  assert.equal((at('2026-10-25T02:00:00Z') - opens) / 3_600_000, 6, 'the night is six hours long')
})

test('a day service on both clock-change Sundays opens at 9am by the wall clock', () => {
  const hours = weekly(every([OFFICE]))
  assert.equal(closed(openState(hours, at('2026-03-29T00:30:00Z'))), '2026-03-29T08:00:00Z', '9am BST after the clocks went forward')
  assert.equal(open(openState(hours, at('2026-03-29T08:00:00Z'))), '2026-03-29T16:00:00Z')
  assert.equal(closed(openState(hours, at('2026-10-25T00:30:00Z'))), '2026-10-25T09:00:00Z', '9am GMT after the clocks went back')
  assert.equal(closed(openState(hours, at('2026-10-24T16:00:00Z'))), '2026-10-25T09:00:00Z', 'closed at 5pm BST on Saturday')
})

test('a bank holiday Monday: closed, usual hours, or special hours', () => {
  const monday = at('2026-05-04T10:00:00Z') // 11:00 BST on the Early May bank holiday
  const closedRule = weekly(every([OFFICE], WEEKDAYS))
  assert.equal(closed(openState(closedRule, monday)), '2026-05-05T08:00:00Z')
  assert.equal(describeState(openState(closedRule, monday), monday), 'Closed now. Opens tomorrow at 9am')
  const friday = at('2026-05-01T17:00:00Z') // 6pm on the Friday before
  assert.equal(describeState(openState(closedRule, friday), friday), 'Closed now. Opens on Tuesday at 9am')
  assert.equal(open(openState(weekly(every([OFFICE], WEEKDAYS), { kind: 'usual' }), monday)), '2026-05-04T16:00:00Z')
  const special = weekly(every([OFFICE], WEEKDAYS), { kind: 'special', periods: [{ opens: '10:00', closes: '14:00' }] })
  assert.equal(open(openState(special, monday)), '2026-05-04T13:00:00Z')
  assert.equal(closed(openState(special, at('2026-05-04T08:30:00Z'))), '2026-05-04T09:00:00Z', 'opens at 10am, not 9am')
  assert.equal(describeState(openState(special, monday), monday), 'Open now until 2pm')
  // an ordinary Monday is not affected
  assert.equal(open(openState(closedRule, at('2026-05-11T10:00:00Z'))), '2026-05-11T16:00:00Z')
})

test('an overnight service on Easter Sunday night 2027, the night after the clocks went forward, into a bank holiday Monday that is closed', () => {
  const hours = weekly(every([NIGHT]))
  // Saturday 27 March 2027, 21:00 GMT; clocks forward Sunday 28 March (Easter Sunday); Monday 29 March is a bank holiday.
  assert.equal(open(openState(hours, at('2027-03-27T23:00:00Z'))), '2027-03-28T01:00:00Z')
  // Sunday night opens at 21:00 BST and runs into the bank holiday: a night that started on an ordinary day carries on.
  assert.equal(closed(openState(hours, at('2027-03-28T12:00:00Z'))), '2027-03-28T20:00:00Z')
  assert.equal(open(openState(hours, at('2027-03-28T23:30:00Z'))), '2027-03-29T01:00:00Z')
  // Monday is a bank holiday and the service is closed on bank holidays: no night on Monday, next is Tuesday 21:00 BST.
  const mondayMorning = at('2027-03-29T09:00:00Z')
  assert.equal(closed(openState(hours, mondayMorning)), '2027-03-30T20:00:00Z')
  assert.equal(describeState(openState(hours, mondayMorning), mondayMorning), 'Closed now. Opens tomorrow at 9pm')
})

test('Christmas 2026: open on Saturday 26 December (no longer the bank holiday), closed on the substitute Monday', () => {
  const hours = weekly({ ...every([OFFICE], WEEKDAYS), saturday: [{ opens: '11:30', closes: '19:00' }] })
  assert.equal(open(openState(hours, at('2026-12-26T12:00:00Z'))), '2026-12-26T19:00:00Z')
  const christmasEve = at('2026-12-24T18:00:00Z')
  assert.equal(closed(openState(hours, christmasEve)), '2026-12-26T11:30:00Z')
  assert.equal(closed(openState(hours, at('2026-12-26T20:00:00Z'))), '2026-12-29T09:00:00Z', 'Monday 28th is the substitute day')
  assert.equal(describeState(openState(hours, christmasEve), christmasEve), 'Closed now. Opens on Saturday at 11:30am')
})

test('24 hours a day, no set hours, and a run of whole days', () => {
  assert.deepEqual(openState({ kind: 'always' }, at('2026-03-29T01:30:00Z')), { status: 'always' })
  assert.deepEqual(openState({ kind: 'none' }, at('2026-03-29T01:30:00Z')), { status: 'no-hours' })
  const allWeek = weekly(every([{ opens: '00:00', closes: '24:00' }]), { kind: 'usual' })
  assert.deepEqual(openState(allWeek, at('2026-03-29T01:30:00Z')), { status: 'open', closes: undefined })
  // open all weekend, from Friday 9am to Sunday midnight
  const weekend = weekly({ friday: [{ opens: '09:00', closes: '24:00' }], saturday: [{ opens: '00:00', closes: '24:00' }], sunday: [{ opens: '00:00', closes: '24:00' }] })
  assert.equal(open(openState(weekend, at('2026-07-17T12:00:00Z'))), '2026-07-19T23:00:00Z', 'one run, until midnight on Sunday')
  assert.equal(describeState({ status: 'always' }, 0), 'Open now: 24 hours a day, every day')
  // a service open only on bank holidays, looked at in June: next opens on the Summer bank holiday
  const bankHolidaysOnly = weekly({}, { kind: 'special', periods: [OFFICE] })
  const june = at('2026-06-10T12:00:00Z')
  assert.equal(closed(openState(bankHolidaysOnly, june)), '2026-08-31T08:00:00Z')
  assert.equal(describeState(openState(bankHolidaysOnly, june), june), 'Closed now. Opens on Monday 31 August at 9am')
  assert.deepEqual(openState(weekly({}), june), { status: 'closed', opens: undefined })
})

test('a bank-holiday lookup can be given, so the rules are testable without the calendar', () => {
  const hours = weekly(every([OFFICE], WEEKDAYS))
  const wednesday = at('2026-07-15T10:00:00Z')
  assert.equal(open(openState(hours, wednesday, () => false)), '2026-07-15T16:00:00Z')
  assert.equal(closed(openState(hours, wednesday, (date) => date === '2026-07-15')), '2026-07-16T08:00:00Z')
})

test('reading times and periods as editors type them', () => {
  assert.equal(parseTime('09:15'), 555)
  assert.equal(parseTime('9.15'), 555)
  assert.equal(parseTime('9am'), 540)
  assert.equal(parseTime('5:15pm'), 1035)
  assert.equal(parseTime('12am'), 0)
  assert.equal(parseTime('12pm'), 720)
  assert.equal(parseTime('24:00'), undefined)
  assert.equal(parseTime('24:00', { allowEndOfDay: true }), 1440)
  assert.equal(parseTime('25:00'), undefined)
  assert.equal(parseTime('9'), undefined)
  assert.equal(parseTime('13pm'), undefined)
  assert.deepEqual(parsePeriods('9:15am to 5:15pm'), { periods: [{ opens: '09:15', closes: '17:15' }] })
  assert.deepEqual(parsePeriods('21:00-02:00'), { periods: [NIGHT] })
  assert.deepEqual(parsePeriods('14:00–16:00, 10:00-13:00'), { periods: [{ opens: '10:00', closes: '13:00' }, { opens: '14:00', closes: '16:00' }] })
  assert.deepEqual(parsePeriods(''), { periods: [] })
  assert.deepEqual(parsePeriods('Closed'), { periods: [] })
  assert.deepEqual(parsePeriods('00:00-24:00'), { periods: [{ opens: '00:00', closes: '24:00' }] })
  assert.ok('error' in parsePeriods('9-5'))
  assert.ok('error' in parsePeriods('09:00-17:00, 16:00-18:00'))
  assert.ok('error' in parsePeriods('21:00-02:00, 22:00-23:00'), 'inside the night')
  assert.ok('error' in parsePeriods('24:00-02:00'))
})

test('hours in words', () => {
  assert.equal(spokenTime(0), 'midnight')
  assert.equal(spokenTime(720), 'midday')
  assert.equal(spokenTime(555), '9:15am')
  assert.equal(spokenTime(1260), '9pm')
  assert.equal(describePeriod(NIGHT), '9pm to 2am the next day')
  assert.equal(describePeriod({ opens: '19:00', closes: '24:00' }), '7pm to midnight')
  assert.equal(describePeriod({ opens: '00:00', closes: '24:00' }), 'all day')
  const lgbt = weekly({ ...every([{ opens: '10:00', closes: '21:00' }], WEEKDAYS), saturday: [{ opens: '11:30', closes: '19:00' }] })
  assert.deepEqual(describeWeek(lgbt), [
    { days: 'Monday to Friday', hours: '10am to 9pm' },
    { days: 'Saturday', hours: '11:30am to 7pm' },
    { days: 'Sunday', hours: 'Closed' },
    { days: 'Bank holidays', hours: 'Closed' }
  ])
  assert.deepEqual(describeWeek(weekly(every([{ opens: '09:15', closes: '17:15' }]), { kind: 'usual' })), [
    { days: 'Every day', hours: '9:15am to 5:15pm' },
    { days: 'Bank holidays', hours: 'Usual hours for the day of the week' }
  ])
  assert.deepEqual(describeWeek({ kind: 'always' }), [{ days: 'Every day', hours: '24 hours a day, including bank holidays' }])
})

test('stored hours are read defensively', () => {
  const stored: OpeningHours = weekly(every([NIGHT], ['friday']), { kind: 'special', periods: [OFFICE] })
  assert.deepEqual(asOpeningHours(JSON.parse(JSON.stringify(stored))), stored)
  assert.deepEqual(asOpeningHours({ kind: 'always' }), { kind: 'always' })
  assert.deepEqual(asOpeningHours(null), { kind: 'none' })
  assert.deepEqual(asOpeningHours({ kind: 'weekly' }), { kind: 'none' })
  const odd = asOpeningHours({ kind: 'weekly', week: { monday: [{ opens: 'nine', closes: '17:00' }, OFFICE] }, bankHolidays: { kind: 'odd' } })
  assert.deepEqual(odd, weekly({ monday: [OFFICE] }))
})
