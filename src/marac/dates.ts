// Calendar dates for the MARAC rules: every rule here works on UK calendar dates (Europe/London), so an
// instant is first read as the date on a London wall clock (23:30 UTC on a summer evening is already
// the next day in London). Small helpers the other MARAC modules share.
import { londonWallClock } from '../platform/time/london-time.ts'
import { isIsoDate } from '../platform/time/dates.ts'

export type IsoDate = string // YYYY-MM-DD

/** A date, or an instant read as its date in London. Throws a RangeError naming `field` for anything else. */
export function londonDate(value: IsoDate | Date, field = 'date'): IsoDate {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError(`${field}: is not a real instant`)
    return londonWallClock(value).date
  }
  if (!isIsoDate(value)) throw new RangeError(`${field}: "${value}" is not a real date written YYYY-MM-DD`)
  return value
}

const dayNumber = (date: IsoDate) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000

/** Calendar days from one date to another (negative when `to` is earlier); 2026-03-01 to 2026-03-02 is 1. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(londonDate(to, 'to')) - dayNumber(londonDate(from, 'from'))
}
