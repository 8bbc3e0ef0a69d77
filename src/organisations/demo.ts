// A synthetic demo partnership ("Harbourshire"): invented organisations, invented people, and .invalid
// email addresses that can never reach anyone. Loaded once; a second start changes nothing.
import type { Db } from '../platform/db/database.ts'
import type { OrganisationType, Role } from '../platform/access/roles.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { appendAudit } from '../platform/audit/audit.ts'

export const DEMO_PASSWORD = 'harbour-demo-only'

export const DEMO_ORGANISATIONS: Array<{ reference: string, name: string, type: OrganisationType, urn?: string }> = [
  { reference: 'HPF', name: 'Harbourshire Police', type: 'police_force' },
  { reference: 'HCC', name: 'Harbourshire City Council', type: 'local_authority' },
  { reference: 'HCT', name: "Harbourshire Children's Trust", type: 'childrens_social_care' },
  { reference: 'URN-990001', name: 'Meadowbank Primary School', type: 'education_setting', urn: '990001' },
  { reference: 'URN-990002', name: 'Riverside Academy', type: 'education_setting', urn: '990002' },
  { reference: 'HNHS', name: 'Harbourshire Community Health NHS Trust', type: 'health' },
  { reference: 'HPS', name: 'Probation Service Harbourshire', type: 'probation' },
  { reference: 'HHS', name: 'Harbourshire Housing Solutions', type: 'housing' },
  { reference: 'HDAS', name: 'Harbourshire Domestic Abuse Service', type: 'idva_service' },
  { reference: 'HFS', name: 'Harbourshire Family Support', type: 'voluntary_sector' }
]

export const DEMO_USERS: Array<{ email: string, name: string, organisation: string, role: Role }> = [
  { email: 'admin@council.harbour.invalid', name: 'Alex Demo (administrator)', organisation: 'HCC', role: 'partnership_admin' },
  { email: 'auditor@council.harbour.invalid', name: 'Sam Demo (auditor)', organisation: 'HCC', role: 'auditor' },
  { email: 'encompass@council.harbour.invalid', name: 'Jordan Demo (Encompass officer)', organisation: 'HCC', role: 'encompass_officer' },
  { email: 'lead@council.harbour.invalid', name: 'Robin Demo (partnership lead)', organisation: 'HCC', role: 'partnership_lead' },
  { email: 'marac@council.harbour.invalid', name: 'Casey Demo (MARAC coordinator)', organisation: 'HCC', role: 'marac_coordinator' },
  { email: 'officer@police.harbour.invalid', name: 'Morgan Demo (police staff)', organisation: 'HPF', role: 'police_officer' },
  { email: 'dsl@meadowbank.harbour.invalid', name: 'Taylor Demo (DSL)', organisation: 'URN-990001', role: 'designated_safeguarding_lead' },
  { email: 'deputy@meadowbank.harbour.invalid', name: 'Quinn Demo (deputy DSL)', organisation: 'URN-990001', role: 'designated_safeguarding_lead' },
  { email: 'dsl@riverside.harbour.invalid', name: 'Parker Demo (DSL)', organisation: 'URN-990002', role: 'designated_safeguarding_lead' },
  { email: 'office@meadowbank.harbour.invalid', name: 'Jamie Demo (school administrator)', organisation: 'URN-990001', role: 'organisation_admin' },
  { email: 'social.worker@trust.harbour.invalid', name: 'Riley Demo (social worker)', organisation: 'HCT', role: 'social_worker' },
  { email: 'idva@das.harbour.invalid', name: 'Avery Demo (IDVA)', organisation: 'HDAS', role: 'idva' },
  { email: 'directory@council.harbour.invalid', name: 'Drew Demo (directory editor)', organisation: 'HCC', role: 'directory_editor' }
]

const MARKER = 'demo-data-loaded'

export async function loadDemoData(db: Db): Promise<boolean> {
  const loaded = await db.selectFrom('setting').select('key').where('key', '=', MARKER).executeTakeFirst()
  if (loaded) return false
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('organisation')
      .values(DEMO_ORGANISATIONS.map((o) => ({ reference: o.reference, name: o.name, type: o.type, urn: o.urn ?? null })))
      .onConflict((oc) => oc.column('reference').doNothing()).execute()
    const organisations = new Map((await trx.selectFrom('organisation').select(['id', 'reference']).execute()).map((o) => [o.reference, o.id]))
    for (const user of DEMO_USERS) {
      const organisationId = organisations.get(user.organisation)
      if (!organisationId) throw new Error(`Demo organisation ${user.organisation} is missing`)
      const row = await trx.insertInto('app_user').values({
        email: user.email, display_name: user.name, organisation_id: organisationId, password_hash: passwordHash,
        status: 'active', is_demo: true, team_id: null, totp_secret: null, totp_last_step: null
      }).onConflict((oc) => oc.column('email').doNothing()).returning('id').executeTakeFirst()
      if (row) await trx.insertInto('user_role').values({ user_id: row.id, role: user.role }).execute()
    }
    await trx.insertInto('setting').values({ key: MARKER, value: JSON.stringify({ at: new Date().toISOString() }) }).execute()
    await appendAudit(trx, { actor: { label: 'system' }, action: 'demo-data-load', details: { organisations: DEMO_ORGANISATIONS.length, users: DEMO_USERS.length } })
  })
  return true
}
