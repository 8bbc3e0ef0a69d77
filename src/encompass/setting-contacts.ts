// Each setting's part in Operation Encompass: signed up or not, and who receives its notifications, a
// Designated Safeguarding Lead and deputies, all people of that setting who hold the DSL role.
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { FieldError } from '../platform/validation.ts'

type Origin = { ip?: string, requestId?: string }

export interface SettingChange {
  signedUp: boolean
  leadUserId: string | undefined
  deputyUserIds: string[]
}

/** Settings with their sign-up and lead, optionally one organisation only (a school's own administrator), optionally only those not yet signed up. */
export async function settingsPage(db: Db, options: { limitTo: string | undefined, notSignedUpOnly: boolean }, page: number, pageSize = 25) {
  let base = db.selectFrom('education_setting as s').innerJoin('organisation as o', 'o.id', 's.organisation_id')
  if (options.limitTo) base = base.where('s.organisation_id', '=', options.limitTo)
  if (options.notSignedUpOnly) base = base.where('s.encompass_signed_up', '=', false)
  const rows = await base
    .select(['s.urn', 'o.name', 's.phase', 's.encompass_signed_up', 's.status'])
    .select((eb) => [
      eb.selectFrom('safeguarding_contact as c').innerJoin('app_user as u', 'u.id', 'c.user_id').select('u.display_name')
        .whereRef('c.organisation_id', '=', 's.organisation_id').where('c.kind', '=', 'lead').as('lead_name'),
      eb.selectFrom('safeguarding_contact as c').select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.organisation_id', '=', 's.organisation_id').where('c.kind', '=', 'deputy').as('deputies')
    ])
    .orderBy('o.name').limit(pageSize).offset((page - 1) * pageSize).execute()
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return { rows: rows.map((row) => ({ ...row, deputies: Number(row.deputies ?? 0) })), total }
}

/** One setting, its contacts, and the people who could be named (its own staff holding the DSL role). */
export async function settingContacts(db: Db, urn: string) {
  const setting = await db.selectFrom('education_setting as s').innerJoin('organisation as o', 'o.id', 's.organisation_id')
    .select(['s.organisation_id', 's.urn', 'o.name', 's.encompass_signed_up', 's.day_starts', 's.phase']).where('s.urn', '=', urn).executeTakeFirst()
  if (!setting) return undefined
  const contacts = await db.selectFrom('safeguarding_contact').select(['user_id', 'kind']).where('organisation_id', '=', setting.organisation_id).execute()
  const eligible = await db.selectFrom('app_user as u').innerJoin('user_role as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.display_name', 'u.email', 'u.status'])
    .where('u.organisation_id', '=', setting.organisation_id).where('r.role', '=', 'designated_safeguarding_lead').where('u.status', '!=', 'disabled')
    .orderBy('u.display_name').execute()
  return {
    setting,
    eligible,
    leadUserId: contacts.find((c) => c.kind === 'lead')?.user_id,
    deputyUserIds: contacts.filter((c) => c.kind === 'deputy').map((c) => c.user_id)
  }
}

/** Checks a change against the people who may be named; a setting signed up must have a lead. */
export function checkSettingChange(change: SettingChange, eligibleIds: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = []
  if (change.leadUserId && !eligibleIds.has(change.leadUserId)) errors.push({ field: 'lead', message: 'Choose a Designated Safeguarding Lead from this setting\'s staff' })
  if (change.signedUp && !change.leadUserId) errors.push({ field: 'lead', message: 'Name a Designated Safeguarding Lead before signing the setting up: notifications go to them' })
  if (change.deputyUserIds.some((id) => !eligibleIds.has(id))) errors.push({ field: 'deputies', message: 'Choose deputies from this setting\'s staff' })
  else if (change.leadUserId && change.deputyUserIds.includes(change.leadUserId)) errors.push({ field: 'deputies', message: 'The lead cannot also be a deputy' })
  return errors
}

export async function changeSetting(db: Db, urn: string, change: SettingChange, actor: Actor, origin: Origin): Promise<{ ok: true } | { ok: false, errors: FieldError[] } | undefined> {
  return await db.transaction().execute(async (trx) => {
    const current = await settingContacts(trx, urn)
    if (!current) return undefined
    const errors = checkSettingChange(change, new Set(current.eligible.map((person) => person.id)))
    if (errors.length > 0) return { ok: false, errors }
    const organisationId = current.setting.organisation_id
    await trx.updateTable('education_setting').set({ encompass_signed_up: change.signedUp, updated_at: new Date() }).where('organisation_id', '=', organisationId).execute()
    await trx.deleteFrom('safeguarding_contact').where('organisation_id', '=', organisationId).execute()
    const contacts = [
      ...(change.leadUserId ? [{ organisation_id: organisationId, user_id: change.leadUserId, kind: 'lead' as const }] : []),
      ...change.deputyUserIds.map((id) => ({ organisation_id: organisationId, user_id: id, kind: 'deputy' as const }))
    ]
    if (contacts.length > 0) await trx.insertInto('safeguarding_contact').values(contacts).execute()
    await appendAudit(trx, {
      actor, action: 'encompass-setting-change', recordType: 'organisation', recordId: organisationId, ...origin,
      details: { urn, signedUp: change.signedUp, lead: change.leadUserId ?? null, deputies: change.deputyUserIds, wasSignedUp: current.setting.encompass_signed_up }
    })
    return { ok: true } as const
  })
}
