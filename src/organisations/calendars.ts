// A setting's school days: its term calendar (its own, or else its council's default), the INSET days
// of that calendar and the setting's own, England's bank holidays, and the time its day starts; and
// from them the start of its next school day after a report (the Operation Encompass deadline).
import type { Db } from '../platform/db/database.ts'
import { englandBankHolidays } from '../platform/time/bank-holidays.ts'
import { nextSchoolDayStart } from '../encompass/school-days.ts'
import type { SchoolCalendar } from '../encompass/school-days.ts'

/** A setting Harbour does not know, or one with no term calendar: no deadline can be worked out. */
export class SettingCalendarError extends Error {
  override name = 'SettingCalendarError'
}

export interface SettingCalendar extends SchoolCalendar {
  urn: string
  calendarId: string
  calendarName: string
  /** whether the calendar is the council's default rather than the setting's own */
  followsCouncil: boolean
}

/** The council default calendar for a local authority: the one for its LA code, else the only one there is. */
async function councilDefault(db: Db, laCode: string): Promise<{ id: string, name: string } | undefined> {
  const defaults = await db.selectFrom('term_calendar').select(['id', 'name', 'la_code'])
    .where('is_council_default', '=', true).orderBy('created_at').execute()
  return defaults.find((c) => c.la_code === laCode) ?? (defaults.length === 1 ? defaults[0] : undefined)
}

/** A setting's calendar, by URN; undefined if Harbour has no such setting or it has no calendar. */
export async function settingCalendar(db: Db, urn: string): Promise<SettingCalendar | undefined> {
  const setting = await db.selectFrom('education_setting as s')
    .leftJoin('term_calendar as c', 'c.id', 's.calendar_id')
    .select(['s.organisation_id', 's.la_code', 's.day_starts', 's.calendar_id', 'c.name as calendar_name'])
    .where('s.urn', '=', urn)
    .executeTakeFirst()
  if (!setting) return undefined
  const calendar = setting.calendar_id ? { id: setting.calendar_id, name: setting.calendar_name ?? '' } : await councilDefault(db, setting.la_code)
  if (!calendar) return undefined
  const [terms, insetDays] = await Promise.all([
    db.selectFrom('term_period').select(['starts_on', 'ends_on']).where('calendar_id', '=', calendar.id).orderBy('starts_on').execute(),
    db.selectFrom('inset_day').select('on_date')
      .where((eb) => eb.or([eb('calendar_id', '=', calendar.id), eb('organisation_id', '=', setting.organisation_id)]))
      .orderBy('on_date').execute()
  ])
  const bankHolidays: string[] = []
  if (terms.length > 0) {
    const first = Number(terms[0]!.starts_on.slice(0, 4))
    const last = Math.max(...terms.map((t) => Number(t.ends_on.slice(0, 4))))
    for (let year = first; year <= last; year++) bankHolidays.push(...englandBankHolidays(year))
  }
  return {
    urn,
    calendarId: calendar.id,
    calendarName: calendar.name,
    followsCouncil: !setting.calendar_id,
    terms: terms.map((t) => ({ start: t.starts_on, end: t.ends_on })),
    insetDays: [...new Set(insetDays.map((d) => d.on_date))],
    bankHolidays,
    dayStarts: setting.day_starts
  }
}

/** The start of the setting's next school day after `reportedAt`: the deadline for telling its DSL. */
export async function nextSchoolDayFor(db: Db, urn: string, reportedAt: Date): Promise<Date> {
  const calendar = await settingCalendar(db, urn)
  if (!calendar) {
    const known = await db.selectFrom('education_setting').select('urn').where('urn', '=', urn).executeTakeFirst()
    throw new SettingCalendarError(known
      ? `Setting ${urn} has no term calendar of its own and there is no council default calendar for it`
      : `There is no education setting with URN ${urn} (import GIAS: npx harbour import gias)`)
  }
  return nextSchoolDayStart(calendar, reportedAt)
}

/** When the council's default school day starts (for a child routed to the council rather than a setting). */
export const COUNCIL_DAY_STARTS = '08:45'

/**
 * The start of the next school day on the council's default calendar: the deadline for a child whose
 * setting is not known yet (the review queue) or who has none (home education, not on any roll).
 */
export async function councilNextSchoolDay(db: Db, reportedAt: Date): Promise<Date> {
  return nextSchoolDayStart(await councilCalendar(db), reportedAt)
}

async function councilCalendar(db: Db): Promise<SchoolCalendar> {
  const calendar = await db.selectFrom('term_calendar').select('id').where('is_council_default', '=', true).orderBy('created_at').executeTakeFirst()
  if (!calendar) throw new SettingCalendarError('There is no council default term calendar: add the council\'s term dates')
  const terms = await db.selectFrom('term_period').select(['starts_on', 'ends_on']).where('calendar_id', '=', calendar.id).orderBy('starts_on').execute()
  const insetDays = await db.selectFrom('inset_day').select('on_date').where('calendar_id', '=', calendar.id).execute()
  const years = terms.flatMap((t) => [Number(t.starts_on.slice(0, 4)), Number(t.ends_on.slice(0, 4))])
  const bankHolidays: string[] = []
  for (let year = Math.min(...years); year <= Math.max(...years); year++) bankHolidays.push(...englandBankHolidays(year))
  return { terms: terms.map((t) => ({ start: t.starts_on, end: t.ends_on })), insetDays: insetDays.map((d) => d.on_date), bankHolidays, dayStarts: COUNCIL_DAY_STARTS }
}

/**
 * Bumped by anything that changes settings' calendars or successor links (a GIAS import, the demo's
 * settings): every cache of them (one per Harbour instance, see SchoolDayCache) drops what it holds.
 * A change made by another process reaches a cache only when its entries expire (the time to live).
 */
let calendarGeneration = 0
export function calendarsChanged(): void {
  calendarGeneration++
}
export function currentCalendarGeneration(): number {
  return calendarGeneration
}

/**
 * The intake's view of school days, kept in memory for a short time (one per Harbour instance): each
 * setting's calendar and the council's default, read once rather than for every child. Dropped when
 * calendarsChanged() is called in this process; changes made by another process (a CLI import, a second
 * Harbour) are seen within the time to live. Failures and unknown settings are not kept.
 */
export class SchoolDayCache {
  readonly #ttlMs: number
  #generation = calendarGeneration
  readonly #settings = new Map<string, { at: number, value: Promise<SettingCalendar | undefined> }>()
  #council: { at: number, value: Promise<SchoolCalendar> } | undefined

  constructor(ttlMs = 30_000) {
    this.#ttlMs = ttlMs
  }

  invalidate(): void {
    this.#settings.clear()
    this.#council = undefined
  }

  #fresh(at: number): boolean {
    if (this.#generation !== calendarGeneration) {
      this.#generation = calendarGeneration
      this.invalidate()
      return false
    }
    return performance.now() - at < this.#ttlMs
  }

  async #setting(db: Db, urn: string): Promise<SettingCalendar | undefined> {
    const hit = this.#settings.get(urn)
    if (hit && this.#fresh(hit.at)) return await hit.value
    const value = settingCalendar(db, urn)
    const entry = { at: performance.now(), value }
    this.#settings.set(urn, entry)
    const found = await value.catch((error: unknown) => {
      if (this.#settings.get(urn) === entry) this.#settings.delete(urn)
      throw error
    })
    if (!found && this.#settings.get(urn) === entry) this.#settings.delete(urn)
    return found
  }

  /** As nextSchoolDayFor, from the cache. */
  async nextSchoolDayFor(db: Db, urn: string, reportedAt: Date): Promise<Date> {
    const calendar = await this.#setting(db, urn)
    if (!calendar) return await nextSchoolDayFor(db, urn, reportedAt)
    return nextSchoolDayStart(calendar, reportedAt)
  }

  /** As councilNextSchoolDay, from the cache. */
  async councilNextSchoolDay(db: Db, reportedAt: Date): Promise<Date> {
    const hit = this.#council
    if (!hit || !this.#fresh(hit.at)) {
      const entry = { at: performance.now(), value: councilCalendar(db) }
      this.#council = entry
      entry.value.catch(() => { if (this.#council === entry) this.#council = undefined })
      return nextSchoolDayStart(await entry.value, reportedAt)
    }
    return nextSchoolDayStart(await hit.value, reportedAt)
  }
}
