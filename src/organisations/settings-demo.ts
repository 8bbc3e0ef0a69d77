// The demo partnership's education settings and term calendars: Harbourshire City Council's default
// calendar for 2025-26 and 2026-27 (invented, plausible English term dates), followed by Meadowbank
// Primary School (URN 990001); Riverside Academy (URN 990002) keeps its own calendar and starts at 08:30.
// Both are signed up to Operation Encompass. Loaded once, after the demo organisations.
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'

const MARKER = 'demo-settings-loaded'
export const DEMO_LA_CODE = '990'

type Term = [string, string]

/** Harbourshire's term dates: each half term, first and last day. */
export const HARBOURSHIRE_TERMS: Term[] = [
  ['2025-09-01', '2025-10-24'], ['2025-11-03', '2025-12-19'],
  ['2026-01-05', '2026-02-13'], ['2026-02-23', '2026-03-27'],
  ['2026-04-13', '2026-05-22'], ['2026-06-01', '2026-07-22'],
  ['2026-09-01', '2026-10-23'], ['2026-11-02', '2026-12-18'],
  ['2027-01-04', '2027-02-12'], ['2027-02-22', '2027-03-25'],
  ['2027-04-12', '2027-05-28'], ['2027-06-07', '2027-07-21']
]
export const HARBOURSHIRE_INSET_DAYS = ['2025-09-01', '2025-09-02', '2026-01-05', '2026-09-01', '2026-09-02', '2027-01-04']

/** Riverside Academy's own: a two-week October half term, and its own training days. */
export const RIVERSIDE_TERMS: Term[] = [
  ['2025-09-02', '2025-10-17'], ['2025-11-03', '2025-12-19'],
  ['2026-01-05', '2026-02-13'], ['2026-02-23', '2026-03-27'],
  ['2026-04-13', '2026-05-22'], ['2026-06-01', '2026-07-17'],
  ['2026-09-02', '2026-10-16'], ['2026-11-02', '2026-12-18'],
  ['2027-01-04', '2027-02-12'], ['2027-02-22', '2027-03-25'],
  ['2027-04-12', '2027-05-28'], ['2027-06-07', '2027-07-16']
]
export const RIVERSIDE_INSET_DAYS = ['2025-09-02', '2026-06-26', '2026-09-02', '2027-06-25']

const DEMO_SETTINGS = [
  { urn: '990001', laName: 'Harbourshire', type: 'Community school', status: 'Open', phase: 'Primary', low: 4, high: 11, postcode: 'HB1 4MP', dayStarts: '08:45', ownCalendar: false },
  { urn: '990002', laName: 'Harbourshire', type: 'Academy sponsor led', status: 'Open', phase: 'Secondary', low: 11, high: 18, postcode: 'HB2 7RA', dayStarts: '08:30', ownCalendar: true }
]

export async function loadDemoSettings(db: Db): Promise<boolean> {
  if (await db.selectFrom('setting').select('key').where('key', '=', MARKER).executeTakeFirst()) return false
  const organisations = new Map((await db.selectFrom('organisation').select(['id', 'reference'])
    .where('reference', 'in', ['HCC', 'URN-990001', 'URN-990002']).execute()).map((o) => [o.reference, o.id]))
  const council = organisations.get('HCC')
  if (!council) throw new Error('Demo organisation HCC is missing')
  await db.transaction().execute(async (trx) => {
    const addCalendar = async (name: string, owner: string, councilDefault: boolean, terms: Term[], insetDays: string[]) => {
      const { id } = await trx.insertInto('term_calendar')
        .values({ name, owner_organisation_id: owner, is_council_default: councilDefault, la_code: councilDefault ? DEMO_LA_CODE : null })
        .returning('id').executeTakeFirstOrThrow()
      await trx.insertInto('term_period').values(terms.map(([starts, ends]) => ({ calendar_id: id, starts_on: starts, ends_on: ends }))).execute()
      await trx.insertInto('inset_day').values(insetDays.map((day) => ({ calendar_id: id, organisation_id: null, on_date: day }))).execute()
      return id
    }
    await addCalendar('Harbourshire term dates 2025-2027', council, true, HARBOURSHIRE_TERMS, HARBOURSHIRE_INSET_DAYS)
    for (const setting of DEMO_SETTINGS) {
      const organisationId = organisations.get(`URN-${setting.urn}`)
      if (!organisationId) throw new Error(`Demo organisation URN-${setting.urn} is missing`)
      const calendarId = setting.ownCalendar ? await addCalendar('Riverside Academy term dates 2025-2027', organisationId, false, RIVERSIDE_TERMS, RIVERSIDE_INSET_DAYS) : null
      const values = {
        la_code: DEMO_LA_CODE, la_name: setting.laName, type_of_establishment: setting.type, status: setting.status, phase: setting.phase,
        statutory_low_age: setting.low, statutory_high_age: setting.high, postcode: setting.postcode,
        encompass_signed_up: true, day_starts: setting.dayStarts, calendar_id: calendarId
      }
      await trx.insertInto('education_setting').values({ organisation_id: organisationId, urn: setting.urn, ...values })
        .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values)).execute()
    }
    // each demo school's Designated Safeguarding Lead, and Meadowbank's deputy
    for (const [email, kind] of [['dsl@meadowbank.harbour.invalid', 'lead'], ['deputy@meadowbank.harbour.invalid', 'deputy'], ['dsl@riverside.harbour.invalid', 'lead']] as const) {
      const person = await trx.selectFrom('app_user').select(['id', 'organisation_id']).where('email', '=', email).executeTakeFirst()
      if (person) await trx.insertInto('safeguarding_contact').values({ organisation_id: person.organisation_id, user_id: person.id, kind }).onConflict((oc) => oc.doNothing()).execute()
    }
    await trx.insertInto('setting').values({ key: MARKER, value: JSON.stringify({ at: new Date().toISOString() }) }).execute()
    await appendAudit(trx, { actor: { label: 'system' }, action: 'demo-settings-load', details: { settings: DEMO_SETTINGS.length, calendars: 2 } })
  })
  return true
}
