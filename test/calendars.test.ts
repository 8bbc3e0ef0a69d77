// A setting's school days from the database: the council's default calendar, an academy's own calendar
// and start time, a setting's own INSET day, bank holidays, and the deadline for a Friday-night incident
// before half term. The demo's settings and calendars are the data.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { testHarbour } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { loadDemoData } from '../src/organisations/demo.ts'
import { loadDemoSettings } from '../src/organisations/settings-demo.ts'
import { SettingCalendarError, nextSchoolDayFor, settingCalendar } from '../src/organisations/calendars.ts'
import { NoSchoolDayError } from '../src/encompass/school-days.ts'

let harbour: TestHarbour

before(async () => {
  harbour = await testHarbour()
  await loadDemoData(harbour.services.db)
  assert.equal(await loadDemoSettings(harbour.services.db), true)
  assert.equal(await loadDemoSettings(harbour.services.db), false, 'loaded once')
})

after(async () => {
  await harbour.stop()
})

const db = () => harbour.services.db

test('the demo schools are signed up, Riverside starts at 08:30', async () => {
  const rows = await db().selectFrom('education_setting').select(['urn', 'encompass_signed_up', 'day_starts']).orderBy('urn').execute()
  assert.deepEqual(rows, [
    { urn: '990001', encompass_signed_up: true, day_starts: '08:45' },
    { urn: '990002', encompass_signed_up: true, day_starts: '08:30' }
  ])
})

test('Meadowbank follows the council calendar, bank holidays included', async () => {
  const calendar = await settingCalendar(db(), '990001')
  assert.ok(calendar)
  assert.equal(calendar.followsCouncil, true)
  assert.equal(calendar.dayStarts, '08:45')
  assert.deepEqual(calendar.terms[6], { start: '2026-09-01', end: '2026-10-23' })
  assert.ok(calendar.insetDays.includes('2026-09-01'))
  assert.ok(calendar.bankHolidays.includes('2026-05-04'), 'Early May bank holiday 2026')
  assert.ok(calendar.bankHolidays.includes('2027-12-28'), 'Boxing Day 2027 falls on a Sunday: its substitute day')
  assert.ok(!calendar.bankHolidays.includes('2027-12-26'))
})

test('a Friday-night incident before half term: the first school day after it', async () => {
  // Friday 23 October 2026, 22:10 BST; half term is 26-30 October; the clocks go back on the 25th
  const reported = new Date('2026-10-23T21:10:00Z')
  assert.equal((await nextSchoolDayFor(db(), '990001', reported)).toISOString(), '2026-11-02T08:45:00.000Z')
  // before the day starts on a school day: that morning
  assert.equal((await nextSchoolDayFor(db(), '990001', new Date('2026-10-22T06:00:00Z'))).toISOString(), '2026-10-22T07:45:00.000Z')
  // a bank holiday Monday in term: Tuesday
  assert.equal((await nextSchoolDayFor(db(), '990001', new Date('2026-05-01T18:00:00Z'))).toISOString(), '2026-05-05T07:45:00.000Z')
  // a council INSET day: the first day back in January 2027 is a training day
  assert.equal((await nextSchoolDayFor(db(), '990001', new Date('2026-12-18T20:00:00Z'))).toISOString(), '2027-01-05T08:45:00.000Z')
})

test('an academy with its own calendar and start time', async () => {
  const calendar = await settingCalendar(db(), '990002')
  assert.ok(calendar)
  assert.equal(calendar.followsCouncil, false)
  assert.equal(calendar.dayStarts, '08:30')
  // Riverside's October half term is two weeks: Friday 16 October 2026 at night reaches 2 November, 08:30 GMT
  assert.equal((await nextSchoolDayFor(db(), '990002', new Date('2026-10-16T21:30:00Z'))).toISOString(), '2026-11-02T08:30:00.000Z')
  // its year starts on Wednesday 2 September 2026 with its own INSET day: the first school day is Thursday
  assert.equal((await nextSchoolDayFor(db(), '990002', new Date('2026-08-31T12:00:00Z'))).toISOString(), '2026-09-03T07:30:00.000Z')
})

test('a setting\'s own INSET day moves only its deadline', async () => {
  const meadowbank = await db().selectFrom('organisation').select('id').where('urn', '=', '990001').executeTakeFirstOrThrow()
  await db().insertInto('inset_day').values({ calendar_id: null, organisation_id: meadowbank.id, on_date: '2026-11-02' }).execute()
  try {
    const calendar = await settingCalendar(db(), '990001')
    assert.ok(calendar?.insetDays.includes('2026-11-02'))
    assert.equal((await nextSchoolDayFor(db(), '990001', new Date('2026-10-23T21:10:00Z'))).toISOString(), '2026-11-03T08:45:00.000Z')
    // another setting on the council calendar is not affected
    const other = await db().insertInto('organisation').values({ reference: 'URN-990009', name: 'Test Primary', type: 'education_setting', urn: '990009' }).returning('id').executeTakeFirstOrThrow()
    await db().insertInto('education_setting').values({ organisation_id: other.id, urn: '990009', la_code: '990', calendar_id: null, statutory_low_age: null, statutory_high_age: null }).execute()
    assert.equal((await nextSchoolDayFor(db(), '990009', new Date('2026-10-23T21:10:00Z'))).toISOString(), '2026-11-02T08:45:00.000Z')
  } finally {
    await db().deleteFrom('inset_day').where('organisation_id', '=', meadowbank.id).execute()
  }
})

test('no deadline without a setting or term dates', async () => {
  await assert.rejects(nextSchoolDayFor(db(), '123456', new Date()), SettingCalendarError)
  // after the last term Harbour knows: the calendar needs its next year's dates
  await assert.rejects(nextSchoolDayFor(db(), '990001', new Date('2027-07-22T12:00:00Z')), NoSchoolDayError)
})
