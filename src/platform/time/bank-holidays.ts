// England's bank holidays, from the date-holidays package (its data ships with it: no network).
// date-holidays lists a holiday that falls at a weekend beside its substitute weekday ("Christmas Day"
// on Saturday 25 December and "Christmas Day (substitute day)" on Monday 27 December). A weekend is
// not a bank holiday in England (Easter Sunday is not one either): only the weekday counts.
import Holidays from 'date-holidays'
import { weekdayOf } from './london-time.ts'

let calendar: Holidays | undefined
const byYear = new Map<number, ReadonlySet<string>>()

/** England's bank holidays in a year, as YYYY-MM-DD dates. */
export function englandBankHolidays(year: number): ReadonlySet<string> {
  let dates = byYear.get(year)
  if (!dates) {
    calendar ??= new Holidays('GB', 'ENG')
    dates = new Set(calendar.getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      .map((holiday) => holiday.date.slice(0, 10))
      .filter((date) => weekdayOf(date) < 5))
    byYear.set(year, dates)
  }
  return dates
}

/** Whether a date (YYYY-MM-DD) is a bank holiday in England. */
export function isEnglandBankHoliday(date: string): boolean {
  return englandBankHolidays(Number(date.slice(0, 4))).has(date)
}
