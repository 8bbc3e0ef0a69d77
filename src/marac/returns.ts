// The SafeLives-style quarterly MARAC return (pure), per area and per meeting, and its CSV.
// - Quarters are calendar quarters: 2026Q1 is January to March, 2026Q3 July to September.
// - A case is counted in the quarter of the meeting that heard it.
// - Ages are at the date of referral: victims aged 16 or 17; perpetrators aged 17 or under (counted as
//   cases with at least one such perpetrator, so every count is of cases, like the total). A date of
//   birth not known is not counted.
// - BAME, LGBT+, disabled and male are the caller's reading of the victim's diversity monitoring; not
//   known is not counted.
// - Cases per 10,000 adult women is a yearly figure (SafeLives recommends 40): the cases heard in the 12
//   months to the end of the quarter, per 10,000 women aged 18 and over in the area. Pass at least that
//   year's cases, or the rate reads low.
import { ageOn } from '../platform/time/dates.ts'
import { csvLine } from '../platform/csv.ts'
import { isoDate } from '../platform/time/london-time.ts'
import { londonDate } from './dates.ts'
import type { IsoDate } from './dates.ts'

export const RECOMMENDED_CASES_PER_10K_WOMEN = 40

export interface Quarter {
  /** e.g. 2026Q3 */
  label: string
  year: number
  quarter: 1 | 2 | 3 | 4
  start: IsoDate
  end: IsoDate
}

export class ReturnInputError extends Error {}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

function quarterOf(year: number, quarter: 1 | 2 | 3 | 4): Quarter {
  const firstMonth = quarter * 3 - 2
  return { label: `${year}Q${quarter}`, year, quarter, start: isoDate(year, firstMonth, 1), end: isoDate(year, firstMonth + 2, lastDay(year, firstMonth + 2)) }
}

/** '2026Q3' (or '2026q3') to July-September 2026; anything else is a ReturnInputError saying how to write it. */
export function parseQuarter(text: string): Quarter {
  const trimmed = (text ?? '').trim()
  if (trimmed === '') throw new ReturnInputError('The quarter is required: write it like 2026Q3 (Q3 is July to September)')
  const match = /^(\d{4})[Qq](\d)$/.exec(trimmed)
  if (!match) throw new ReturnInputError(`"${trimmed}" is not a quarter: write the year, Q and the quarter, like 2026Q3 (Q3 is July to September)`)
  const year = Number(match[1])
  const quarter = Number(match[2])
  if (quarter < 1 || quarter > 4) throw new ReturnInputError(`"${trimmed}": a year has quarters Q1 to Q4 (Q1 is January to March)`)
  if (year < 2000 || year > 2099) throw new ReturnInputError(`"${trimmed}": the year must be between 2000 and 2099`)
  return quarterOf(year, quarter as Quarter['quarter'])
}

/** The quarter `n` quarters before (negative: after) another. */
function quarterBefore(quarter: Quarter, n: number): Quarter {
  const index = quarter.year * 4 + quarter.quarter - 1 - n
  return quarterOf(Math.floor(index / 4), (index % 4 + 1) as Quarter['quarter'])
}

export interface ReturnCase {
  referralId: string
  areaCode: string
  /** the date of the meeting that heard the case */
  heardOn: IsoDate
  referredOn: IsoDate
  repeat: boolean
  referringAgency: string
  childrenInHousehold: number
  victim: { dateOfBirth?: IsoDate, male?: boolean, bame?: boolean, lgbt?: boolean, disabled?: boolean }
  perpetratorDatesOfBirth: ReadonlyArray<IsoDate | undefined>
}

export interface ReturnCounts {
  cases: number
  repeats: number
  /** repeats as a percentage of cases, to one decimal place (SafeLives expects 28-40%); null with no cases */
  repeatRate: number | null
  /** most referrals first, then by name */
  referralsByAgency: Array<{ agency: string, cases: number }>
  childrenInHouseholds: number
  bameVictims: number
  lgbtVictims: number
  disabledVictims: number
  maleVictims: number
  victimsAged16To17: number
  casesWithPerpetratorAged17OrUnder: number
}

export interface MaracReturn {
  areaCode: string
  quarter: Quarter
  totals: ReturnCounts
  meetings: Array<{ date: IsoDate, counts: ReturnCounts }>
  rate: {
    /** the 12 months to the end of the quarter */
    from: IsoDate
    to: IsoDate
    cases: number
    adultWomen: number
    /** to one decimal place */
    casesPer10kAdultWomen: number
    recommended: number
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10

function countCases(cases: readonly ReturnCase[]): ReturnCounts {
  const agencies = new Map<string, number>()
  const counts: ReturnCounts = {
    cases: cases.length, repeats: 0, repeatRate: null, referralsByAgency: [], childrenInHouseholds: 0, bameVictims: 0,
    lgbtVictims: 0, disabledVictims: 0, maleVictims: 0, victimsAged16To17: 0, casesWithPerpetratorAged17OrUnder: 0
  }
  for (const entry of cases) {
    if (entry.repeat) counts.repeats++
    const agency = entry.referringAgency.trim() || 'Not recorded'
    agencies.set(agency, (agencies.get(agency) ?? 0) + 1)
    counts.childrenInHouseholds += entry.childrenInHousehold
    if (entry.victim.bame === true) counts.bameVictims++
    if (entry.victim.lgbt === true) counts.lgbtVictims++
    if (entry.victim.disabled === true) counts.disabledVictims++
    if (entry.victim.male === true) counts.maleVictims++
    const victimAge = entry.victim.dateOfBirth ? ageOn(entry.victim.dateOfBirth, entry.referredOn) : undefined
    if (victimAge === 16 || victimAge === 17) counts.victimsAged16To17++
    if (entry.perpetratorDatesOfBirth.some((dob) => dob !== undefined && ageOn(dob, entry.referredOn) <= 17)) counts.casesWithPerpetratorAged17OrUnder++
  }
  counts.repeatRate = cases.length === 0 ? null : round1(counts.repeats / cases.length * 100)
  counts.referralsByAgency = [...agencies].map(([agency, n]) => ({ agency, cases: n }))
    .sort((a, b) => b.cases - a.cases || a.agency.localeCompare(b.agency))
  return counts
}

function checkCase(entry: ReturnCase, i: number): void {
  const where = `cases[${i}] (${entry.referralId})`
  try {
    londonDate(entry.heardOn, `${where}.heardOn`)
    londonDate(entry.referredOn, `${where}.referredOn`)
    if (entry.victim.dateOfBirth !== undefined) londonDate(entry.victim.dateOfBirth, `${where}.victim.dateOfBirth`)
    entry.perpetratorDatesOfBirth.forEach((dob, j) => { if (dob !== undefined) londonDate(dob, `${where}.perpetratorDatesOfBirth[${j}]`) })
  } catch (error) {
    throw new ReturnInputError((error as Error).message)
  }
  if (!Number.isInteger(entry.childrenInHousehold) || entry.childrenInHousehold < 0) {
    throw new ReturnInputError(`${where}.childrenInHousehold: must be a whole number, 0 or more, not ${entry.childrenInHousehold}`)
  }
}

export interface ReturnInput {
  areaCode: string
  /** '2026Q3' or a parsed quarter */
  quarter: string | Quarter
  /** cases of any area and date: only this area's are counted */
  cases: readonly ReturnCase[]
  /** women aged 18 and over living in the area */
  adultWomen: number
}

export function quarterlyReturn(input: ReturnInput): MaracReturn {
  const quarter = typeof input.quarter === 'string' ? parseQuarter(input.quarter) : input.quarter
  if (!Number.isInteger(input.adultWomen) || input.adultWomen < 1) {
    throw new ReturnInputError(`adultWomen: the area's population of women aged 18 and over must be a whole number, 1 or more, not ${input.adultWomen}`)
  }
  input.cases.forEach(checkCase)
  const area = input.cases.filter((entry) => entry.areaCode === input.areaCode)
  const inQuarter = area.filter((entry) => entry.heardOn >= quarter.start && entry.heardOn <= quarter.end)
  const byMeeting = new Map<IsoDate, ReturnCase[]>()
  for (const entry of inQuarter) byMeeting.set(entry.heardOn, [...(byMeeting.get(entry.heardOn) ?? []), entry])
  const from = quarterBefore(quarter, 3).start
  const yearCases = area.filter((entry) => entry.heardOn >= from && entry.heardOn <= quarter.end).length
  return {
    areaCode: input.areaCode,
    quarter,
    totals: countCases(inQuarter),
    meetings: [...byMeeting].sort(([a], [b]) => a.localeCompare(b)).map(([date, cases]) => ({ date, counts: countCases(cases) })),
    rate: {
      from,
      to: quarter.end,
      cases: yearCases,
      adultWomen: input.adultWomen,
      casesPer10kAdultWomen: round1(yearCases / input.adultWomen * 10_000),
      recommended: RECOMMENDED_CASES_PER_10K_WOMEN
    }
  }
}

export const RETURN_CSV_HEADER = ['area', 'quarter', 'meeting', 'measure', 'value'] as const

type CsvValue = string | number | null

function countRows(prefix: [string, string, string], counts: ReturnCounts): CsvValue[][] {
  return [
    [...prefix, 'Cases', counts.cases],
    [...prefix, 'Repeat cases', counts.repeats],
    [...prefix, 'Repeat rate (%)', counts.repeatRate],
    ...counts.referralsByAgency.map(({ agency, cases }) => [...prefix, `Referrals from ${agency}`, cases]),
    [...prefix, 'Children in the households', counts.childrenInHouseholds],
    [...prefix, 'BAME victims', counts.bameVictims],
    [...prefix, 'LGBT+ victims', counts.lgbtVictims],
    [...prefix, 'Disabled victims', counts.disabledVictims],
    [...prefix, 'Male victims', counts.maleVictims],
    [...prefix, 'Victims aged 16-17', counts.victimsAged16To17],
    [...prefix, 'Cases with a perpetrator aged 17 or under', counts.casesWithPerpetratorAged17OrUnder]
  ]
}

/** The return as CSV rows (header first): the area's totals ("all meetings"), each meeting, then the yearly rate. */
export function returnCsvRows(ret: MaracReturn): CsvValue[][] {
  const area = ret.areaCode
  const q = ret.quarter.label
  const yearly = `12 months ${ret.rate.from} to ${ret.rate.to}`
  return [
    [...RETURN_CSV_HEADER],
    ...countRows([area, q, 'all meetings'], ret.totals),
    ...ret.meetings.flatMap((meeting) => countRows([area, q, meeting.date], meeting.counts)),
    [area, q, yearly, 'Cases', ret.rate.cases],
    [area, q, yearly, 'Adult women in the area', ret.rate.adultWomen],
    [area, q, yearly, 'Cases per 10,000 adult women', ret.rate.casesPer10kAdultWomen],
    [area, q, yearly, 'Recommended cases per 10,000 adult women', ret.rate.recommended]
  ]
}

/** The return as CSV text (RFC 4180, through the platform's writer). */
export function returnCsv(ret: MaracReturn): string {
  return returnCsvRows(ret).map(csvLine).join('')
}
