import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RECOMMENDED_CASES_PER_10K_WOMEN, ReturnInputError, parseQuarter, quarterlyReturn, returnCsv, returnCsvRows } from './returns.ts'
import type { ReturnCase } from './returns.ts'
import { parseCsv } from '../platform/csv.ts'

type Flags = { male?: boolean, bame?: boolean, lgbt?: boolean, disabled?: boolean }
const c = (referralId: string, heardOn: string, repeat: boolean, referringAgency: string, childrenInHousehold: number, flags: Flags, victimDob: string | undefined, perpetratorDatesOfBirth: Array<string | undefined>, areaCode = 'BHM'): ReturnCase =>
  ({ referralId, areaCode, heardOn, referredOn: '2026-06-20', repeat, referringAgency, childrenInHousehold, victim: { ...flags, ...(victimDob ? { dateOfBirth: victimDob } : {}) }, perpetratorDatesOfBirth })

const CSC = 'Children\'s social care, Birmingham'
const Y = true

// Every case referred on 2026-06-20, so ages are at that date. Expected totals for 2026Q3, each different:
// 12 cases, 3 repeats, 11 children, 4 BAME, 1 LGBT+, 2 disabled, 5 male, 6 victims aged 16-17, 7 cases
// with a perpetrator aged 17 or under.
const cases: ReturnCase[] = [
  c('c1', '2026-07-14', Y, 'Police', 2, { male: Y, bame: Y }, '2010-06-20', ['2009-01-01']), // victim 16 on the day; perpetrator 17
  c('c2', '2026-07-14', Y, 'Police', 0, { male: Y, bame: Y, lgbt: Y }, '2008-06-21', ['2008-06-20', '2010-01-01']), // victim 17, a day short of 18; one perpetrator 18 today, one 16
  c('c3', '2026-07-14', Y, 'IDVA', 3, { male: Y, bame: Y, disabled: Y }, '2009-12-31', ['2011-01-01', '2010-05-05']), // two young perpetrators: one case
  c('c4', '2026-07-14', false, 'IDVA', 1, { male: Y, bame: Y, disabled: Y }, '2009-06-20', ['2009-06-21']),
  c('c5', '2026-07-14', false, 'Police', 1, { male: Y, bame: false }, '2010-02-02', ['2008-06-21']),
  c('c6', '2026-08-11', false, 'Health', 0, {}, '2008-12-12', ['2009-09-09']),
  c('c7', '2026-08-11', false, 'Police', 2, { male: false }, '2008-06-20', [undefined, '2010-10-10']), // victim 18 today: not counted
  c('c8', '2026-08-11', false, CSC, 1, {}, '2010-06-21', ['1990-01-01']), // victim 15: not counted
  c('c9', '2026-09-08', false, 'Police', 1, {}, undefined, [undefined]), // dates of birth not known
  c('c10', '2026-09-08', false, 'IDVA', 0, {}, '1985-03-03', []),
  c('c11', '2026-09-08', false, 'Health', 0, {}, '1992-04-04', ['1980-01-01']),
  c('c12', '2026-09-30', false, 'IDVA', 0, {}, '1970-07-07', ['1975-05-05']), // the quarter's last day
  // not in the quarter
  c('c13', '2026-06-30', Y, 'Police', 4, { male: Y }, '2010-01-01', []), // Q2, in the 12 months for the rate
  c('c14', '2026-10-01', Y, 'Police', 4, { male: Y }, '2010-01-01', []), // Q4
  c('c15', '2026-07-14', Y, 'Police', 4, { male: Y }, '2010-01-01', [], 'WOL'), // another area
  c('c16', '2025-10-01', false, 'Police', 0, {}, undefined, []), // first day of the 12 months
  c('c17', '2025-09-30', false, 'Police', 0, {}, undefined, []) // the day before
]

test('quarters are calendar quarters; anything else is refused saying how to write one', () => {
  assert.deepEqual(parseQuarter('2026Q3'), { label: '2026Q3', year: 2026, quarter: 3, start: '2026-07-01', end: '2026-09-30' })
  assert.deepEqual(parseQuarter(' 2028q1 '), { label: '2028Q1', year: 2028, quarter: 1, start: '2028-01-01', end: '2028-03-31' })
  assert.equal(parseQuarter('2027Q1').end, '2027-03-31')
  assert.equal(parseQuarter('2026Q4').end, '2026-12-31')
  assert.equal(parseQuarter('2026Q2').end, '2026-06-30')
  assert.throws(() => parseQuarter('2026Q5'), /"2026Q5": a year has quarters Q1 to Q4/)
  assert.throws(() => parseQuarter('2026Q0'), /quarters Q1 to Q4/)
  assert.throws(() => parseQuarter('2026-Q3'), /"2026-Q3" is not a quarter: write the year, Q and the quarter, like 2026Q3/)
  assert.throws(() => parseQuarter('Q3 2026'), ReturnInputError)
  assert.throws(() => parseQuarter('1999Q4'), /the year must be between 2000 and 2099/)
  assert.throws(() => parseQuarter(''), /The quarter is required/)
})

test('the quarter\'s counts for an area, each one different', () => {
  const ret = quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases, adultWomen: 4000 })
  assert.deepEqual(ret.totals, {
    cases: 12,
    repeats: 3,
    repeatRate: 25,
    referralsByAgency: [{ agency: 'Police', cases: 5 }, { agency: 'IDVA', cases: 4 }, { agency: 'Health', cases: 2 }, { agency: CSC, cases: 1 }],
    childrenInHouseholds: 11,
    bameVictims: 4,
    lgbtVictims: 1,
    disabledVictims: 2,
    maleVictims: 5,
    victimsAged16To17: 6,
    casesWithPerpetratorAged17OrUnder: 7
  })
})

test('per meeting, in date order', () => {
  const ret = quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases, adultWomen: 4000 })
  assert.deepEqual(ret.meetings.map((meeting) => [meeting.date, meeting.counts.cases, meeting.counts.repeats, meeting.counts.childrenInHouseholds]), [
    ['2026-07-14', 5, 3, 7], ['2026-08-11', 3, 0, 3], ['2026-09-08', 3, 0, 1], ['2026-09-30', 1, 0, 0]
  ])
  assert.deepEqual(ret.meetings[1]?.counts.referralsByAgency, [{ agency: CSC, cases: 1 }, { agency: 'Health', cases: 1 }, { agency: 'Police', cases: 1 }], 'ties by name')
})

test('cases per 10,000 adult women over the 12 months to the quarter\'s end, against the recommended 40', () => {
  const ret = quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases, adultWomen: 4000 })
  assert.deepEqual(ret.rate, { from: '2025-10-01', to: '2026-09-30', cases: 14, adultWomen: 4000, casesPer10kAdultWomen: 35, recommended: RECOMMENDED_CASES_PER_10K_WOMEN })
  assert.equal(quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases, adultWomen: 3000 }).rate.casesPer10kAdultWomen, 46.7)
  assert.deepEqual(quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q1', cases, adultWomen: 4000 }).rate.from, '2025-04-01', 'the year before Q1 starts in April')
})

test('an empty quarter: zero counts, no repeat rate', () => {
  const ret = quarterlyReturn({ areaCode: 'SAN', quarter: parseQuarter('2026Q3'), cases, adultWomen: 1000 })
  assert.equal(ret.totals.cases, 0)
  assert.equal(ret.totals.repeatRate, null)
  assert.deepEqual(ret.meetings, [])
  assert.deepEqual(ret.totals.referralsByAgency, [])
})

test('bad input is refused, naming the case and field', () => {
  assert.throws(() => quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases, adultWomen: 0 }), /adultWomen: .* 1 or more, not 0/)
  assert.throws(() => quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases: [{ ...cases[0]!, heardOn: '2026-09-31' }], adultWomen: 10 }), /cases\[0\] \(c1\)\.heardOn: "2026-09-31" is not a real date/)
  assert.throws(() => quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases: [{ ...cases[0]!, childrenInHousehold: -1 }], adultWomen: 10 }), /childrenInHousehold: must be a whole number/)
  assert.throws(() => quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases: [{ ...cases[0]!, perpetratorDatesOfBirth: ['2009-02-30'] }], adultWomen: 10 }), /perpetratorDatesOfBirth\[0\]/)
  assert.throws(() => quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q9', cases, adultWomen: 10 }), ReturnInputError)
})

test('the return as CSV rows: totals, each meeting, the yearly rate; quoted where needed and read back', () => {
  const ret = quarterlyReturn({ areaCode: 'BHM', quarter: '2026Q3', cases, adultWomen: 4000 })
  const rows = returnCsvRows(ret)
  assert.deepEqual(rows[0], ['area', 'quarter', 'meeting', 'measure', 'value'])
  assert.deepEqual(rows.slice(1, 4), [['BHM', '2026Q3', 'all meetings', 'Cases', 12], ['BHM', '2026Q3', 'all meetings', 'Repeat cases', 3], ['BHM', '2026Q3', 'all meetings', 'Repeat rate (%)', 25]])
  assert.deepEqual(rows.at(-2), ['BHM', '2026Q3', '12 months 2025-10-01 to 2026-09-30', 'Cases per 10,000 adult women', 35])
  assert.equal(rows.filter((row) => row[2] === '2026-07-14' && row[3] === 'Cases')[0]?.[4], 5)
  const text = returnCsv(ret)
  assert.ok(text.includes('"Referrals from Children\'s social care, Birmingham",1\n'))
  const parsed = parseCsv(text).map((row) => row.values)
  assert.equal(parsed.length, rows.length)
  assert.deepEqual(parsed[1], ['BHM', '2026Q3', 'all meetings', 'Cases', '12'])
  const empty = returnCsv(quarterlyReturn({ areaCode: 'SAN', quarter: '2026Q3', cases, adultWomen: 1000 }))
  assert.ok(empty.includes('SAN,2026Q3,all meetings,Repeat rate (%),\n'), 'no rate with no cases: an empty value')
})
