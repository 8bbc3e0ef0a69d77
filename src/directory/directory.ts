// The support directory's queries: entries and areas, and the editor's changes, each audited in the
// same transaction as the change.
import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import type { DirectoryEntryTable } from '../platform/db/schema.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { RequestOrigin } from '../platform/auth/auth-service.ts'
import { asOpeningHours } from './opening-hours.ts'
import { changedFields, slugFor } from './rules.ts'
import type { Area, DirectoryEntry, EntryValues } from './rules.ts'

type Row = Omit<Selectable<DirectoryEntryTable>, 'last_checked_on' | 'waiting_reported_on'> & { last_checked_on: string, waiting_reported_on: string | null }

const COLUMNS = [
  'id', 'slug', 'name', 'public_listing', 'practitioner_listing', 'priority', 'summary', 'audiences', 'needs', 'languages', 'phone', 'text_number',
  'webchat_url', 'website', 'contact_note', 'hours', 'hours_note', 'area_description', 'area_codes', 'support_kinds', 'min_age', 'max_age',
  'referral_criteria', 'how_to_refer', 'waiting_weeks', 'is_demo', 'last_checked_by', 'created_at', 'updated_at'
] as const

function toEntry(row: Row): DirectoryEntry {
  return {
    id: row.id, slug: row.slug, name: row.name, publicListing: row.public_listing, practitionerListing: row.practitioner_listing, priority: row.priority,
    summary: row.summary, audiences: row.audiences, needs: row.needs, languages: row.languages,
    phone: row.phone, textNumber: row.text_number, webchatUrl: row.webchat_url, website: row.website, contactNote: row.contact_note,
    hours: asOpeningHours(row.hours), hoursNote: row.hours_note, areaDescription: row.area_description, areaCodes: row.area_codes,
    supportKinds: row.support_kinds, minAge: row.min_age, maxAge: row.max_age, referralCriteria: row.referral_criteria, howToRefer: row.how_to_refer,
    waitingWeeks: row.waiting_weeks, waitingReportedOn: row.waiting_reported_on,
    isDemo: row.is_demo, lastCheckedOn: row.last_checked_on, lastCheckedBy: row.last_checked_by
  }
}

/** The columns an entry's values are kept in. */
export function columnsOf(values: EntryValues) {
  return {
    name: values.name, public_listing: values.publicListing, practitioner_listing: values.practitionerListing,
    summary: values.summary, audiences: values.audiences, needs: values.needs, languages: values.languages,
    phone: values.phone, text_number: values.textNumber, webchat_url: values.webchatUrl, website: values.website, contact_note: values.contactNote,
    hours: JSON.stringify(values.hours), hours_note: values.hoursNote, area_description: values.areaDescription, area_codes: values.areaCodes,
    support_kinds: values.supportKinds, min_age: values.minAge, max_age: values.maxAge, referral_criteria: values.referralCriteria, how_to_refer: values.howToRefer,
    waiting_weeks: values.waitingWeeks, waiting_reported_on: values.waitingReportedOn
  }
}

export function valuesOf(entry: DirectoryEntry): EntryValues {
  return {
    name: entry.name, publicListing: entry.publicListing, practitionerListing: entry.practitionerListing, summary: entry.summary,
    audiences: entry.audiences, needs: entry.needs, languages: entry.languages, phone: entry.phone, textNumber: entry.textNumber,
    webchatUrl: entry.webchatUrl, website: entry.website, contactNote: entry.contactNote, hours: entry.hours, hoursNote: entry.hoursNote,
    areaDescription: entry.areaDescription, areaCodes: entry.areaCodes, supportKinds: entry.supportKinds, minAge: entry.minAge, maxAge: entry.maxAge,
    referralCriteria: entry.referralCriteria, howToRefer: entry.howToRefer, waitingWeeks: entry.waitingWeeks, waitingReportedOn: entry.waitingReportedOn
  }
}

export class DirectoryService {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  #select(db: Db = this.#db) {
    return db.selectFrom('directory_entry').select(COLUMNS)
      .select([sql<string>`to_char(last_checked_on, 'YYYY-MM-DD')`.as('last_checked_on'), sql<string | null>`to_char(waiting_reported_on, 'YYYY-MM-DD')`.as('waiting_reported_on')])
  }

  async areas(): Promise<Area[]> {
    return await this.#db.selectFrom('directory_area').select(['code', 'name']).orderBy('position').orderBy('name').execute()
  }

  async entries(): Promise<DirectoryEntry[]> {
    const rows = await this.#select().orderBy('priority').orderBy('name').execute()
    return rows.map((row) => toEntry(row as unknown as Row))
  }

  async publicEntries(): Promise<DirectoryEntry[]> {
    return (await this.#select().where('public_listing', '=', true).orderBy('priority').orderBy('name').execute()).map((row) => toEntry(row as unknown as Row))
  }

  async practitionerEntries(): Promise<DirectoryEntry[]> {
    return (await this.#select().where('practitioner_listing', '=', true).orderBy('priority').orderBy('name').execute()).map((row) => toEntry(row as unknown as Row))
  }

  async entry(id: string): Promise<DirectoryEntry | undefined> {
    const row = await this.#select().where('id', '=', id).executeTakeFirst()
    return row ? toEntry(row as unknown as Row) : undefined
  }

  async publicEntryBySlug(slug: string): Promise<DirectoryEntry | undefined> {
    const row = await this.#select().where('slug', '=', slug).where('public_listing', '=', true).executeTakeFirst()
    return row ? toEntry(row as unknown as Row) : undefined
  }

  async #freeSlug(db: Db, name: string): Promise<string> {
    const base = slugFor(name)
    const taken = new Set((await db.selectFrom('directory_entry').select('slug').where('slug', 'like', `${base}%`).execute()).map((row) => row.slug))
    if (!taken.has(base)) return base
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
  }

  async create(values: EntryValues, checkedOn: string, actor: Actor, origin: RequestOrigin): Promise<string> {
    return await this.#db.transaction().execute(async (trx) => {
      const slug = await this.#freeSlug(trx, values.name)
      const row = await trx.insertInto('directory_entry').values({
        ...columnsOf(values), slug, last_checked_on: checkedOn, last_checked_by: actor.label
      }).returning('id').executeTakeFirstOrThrow()
      await appendAudit(trx, {
        actor, action: 'directory-entry-create', recordType: 'directory-entry', recordId: row.id, ...origin,
        details: { name: values.name, slug, public: values.publicListing, practitioners: values.practitionerListing }
      })
      return row.id
    })
  }

  /** Saves an edit; `checkedOn` when the editor says they checked the whole entry today. */
  async update(id: string, values: EntryValues, checkedOn: string | undefined, actor: Actor, origin: RequestOrigin): Promise<string[]> {
    return await this.#db.transaction().execute(async (trx) => {
      const before = await this.#select(trx).where('id', '=', id).forUpdate().executeTakeFirst()
      if (!before) throw new Error(`No directory entry ${id}`)
      const changed = changedFields(valuesOf(toEntry(before as unknown as Row)), values)
      await trx.updateTable('directory_entry').set({
        ...columnsOf(values), updated_at: new Date(),
        ...(checkedOn ? { last_checked_on: checkedOn, last_checked_by: actor.label } : {})
      }).where('id', '=', id).execute()
      await appendAudit(trx, {
        actor, action: 'directory-entry-change', recordType: 'directory-entry', recordId: id, ...origin,
        details: { name: values.name, changed, checked: checkedOn !== undefined }
      })
      return changed
    })
  }

  /** Records that an editor checked an entry and found it still right. */
  async markChecked(id: string, checkedOn: string, actor: Actor, origin: RequestOrigin): Promise<boolean> {
    return await this.#db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('directory_entry').set({ last_checked_on: checkedOn, last_checked_by: actor.label, updated_at: new Date() })
        .where('id', '=', id).returning('name').executeTakeFirst()
      if (!row) return false
      await appendAudit(trx, { actor, action: 'directory-entry-checked', recordType: 'directory-entry', recordId: id, ...origin, details: { name: row.name, checkedOn } })
      return true
    })
  }
}
