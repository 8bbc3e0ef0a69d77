// Organisations and the people in them: queries and the rules an administrator works within.
import { sql } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import { ROLES, isRole } from '../platform/access/roles.ts'
import type { Role, Scope } from '../platform/access/roles.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { AuthService, CurrentUser } from '../platform/auth/auth-service.ts'
import type { Mail } from '../platform/mail/mail.ts'

export interface Origin { ip?: string, requestId?: string }

/** The organisation an administrator's scope limits them to, or undefined for the whole partnership. */
export function organisationLimit(user: CurrentUser, scope: Scope | undefined): string | undefined {
  return scope === 'partnership' ? undefined : user.organisationId
}

/** An administrator may give only roles whose grants reach no further than their own scope. */
export function assignableRoles(scope: Scope | undefined): Role[] {
  if (scope === 'partnership') return Object.keys(ROLES) as Role[]
  return (Object.keys(ROLES) as Role[]).filter((role) => (ROLES[role].grants as ReadonlyArray<{ scope: Scope }>).every((grant) => grant.scope !== 'partnership'))
}

export class OrganisationService {
  readonly #db: Db
  readonly #auth: AuthService
  readonly #mail: Mail
  readonly #publicUrl: string

  constructor(db: Db, auth: AuthService, mail: Mail, publicUrl: string) {
    this.#db = db
    this.#auth = auth
    this.#mail = mail
    this.#publicUrl = publicUrl
  }

  async organisations(limitTo: string | undefined) {
    let query = this.#db.selectFrom('organisation').selectAll()
    if (limitTo) query = query.where('id', '=', limitTo)
    return await query.orderBy('name').execute()
  }

  async organisationByReference(reference: string) {
    return await this.#db.selectFrom('organisation').selectAll().where('reference', '=', reference).executeTakeFirst()
  }

  async organisation(id: string) {
    return await this.#db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async users(limitTo: string | undefined, page: number, pageSize = 25) {
    let query = this.#db.selectFrom('app_user as u').innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    if (limitTo) query = query.where('u.organisation_id', '=', limitTo)
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
    const rows = await query
      .select(['u.id', 'u.email', 'u.display_name', 'u.status', 'u.last_sign_in_at', 'u.locked_until', 'o.name as organisation_name'])
      .select(sql<string | null>`(select string_agg(role, ',' order by role) from user_role where user_role.user_id = u.id)`.as('roles'))
      .orderBy('o.name').orderBy('u.display_name').limit(pageSize).offset((page - 1) * pageSize).execute()
    return { rows: rows.map((row) => ({ ...row, roles: row.roles ? row.roles.split(',') : [] })), total: Number(total) }
  }

  async user(id: string, limitTo: string | undefined) {
    let query = this.#db.selectFrom('app_user as u').innerJoin('organisation as o', 'o.id', 'u.organisation_id')
      .select(['u.id', 'u.email', 'u.display_name', 'u.status', 'u.organisation_id', 'u.last_sign_in_at', 'u.locked_until', 'u.totp_enrolled_at', 'u.is_demo', 'o.name as organisation_name'])
      .where('u.id', '=', id)
    if (limitTo) query = query.where('u.organisation_id', '=', limitTo)
    const row = await query.executeTakeFirst()
    if (!row) return undefined
    const roles = (await this.#db.selectFrom('user_role').select('role').where('user_id', '=', id).execute()).map((r) => r.role)
    return { ...row, roles }
  }

  async emailInUse(email: string): Promise<boolean> {
    return (await this.#db.selectFrom('app_user').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst()) !== undefined
  }

  #invitationMail(email: string, token: string, reset: boolean) {
    return {
      to: email,
      subject: reset ? 'Your Harbour access has been reset' : 'You have been invited to Harbour',
      body: [
        reset ? 'An administrator has reset your access to Harbour.' : 'An administrator has given you an account on Harbour.',
        '',
        `Set your password here within 7 days: ${this.#publicUrl}/invitation/${token}`,
        '',
        'If you were not expecting this, tell your organisation administrator.'
      ].join('\n')
    }
  }

  /** Creates a person (invited, no password yet) and emails them a link to set a password. */
  async invite(input: { email: string, displayName: string, organisationId: string, roles: string[] }, actor: Actor, origin: Origin): Promise<string> {
    const roles = input.roles.filter(isRole)
    return await this.#db.transaction().execute(async (trx) => {
      const user = await trx.insertInto('app_user').values({
        email: input.email.toLowerCase(), display_name: input.displayName, organisation_id: input.organisationId, password_hash: null, totp_secret: null,
        team_id: null, totp_last_step: null
      }).returning('id').executeTakeFirstOrThrow()
      if (roles.length > 0) await trx.insertInto('user_role').values(roles.map((role) => ({ user_id: user.id, role }))).execute()
      const token = await this.#auth.createInvitation(trx, user.id, actor.userId ?? null)
      await this.#mail.queue(this.#invitationMail(input.email, token, false), trx)
      await appendAudit(trx, { actor, action: 'user-invite', recordType: 'user', recordId: user.id, ...origin, details: { organisationId: input.organisationId, roles } })
      return user.id
    })
  }

  /** Clears password, second factor, lock and sessions, and sends a fresh invitation. */
  async resetAccess(userId: string, actor: Actor, origin: Origin): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const user = await trx.updateTable('app_user').set({
        password_hash: null, totp_secret: null, totp_enrolled_at: null, totp_last_step: null,
        status: 'invited', failed_sign_ins: 0, locked_until: null
      }).where('id', '=', userId).returning('email').executeTakeFirstOrThrow()
      await trx.deleteFrom('web_session').where('user_id', '=', userId).execute()
      const token = await this.#auth.createInvitation(trx, userId, actor.userId ?? null)
      await this.#mail.queue(this.#invitationMail(user.email, token, true), trx)
      await appendAudit(trx, { actor, action: 'user-reset-access', recordType: 'user', recordId: userId, ...origin })
    })
  }

  async disable(userId: string, actor: Actor, origin: Origin): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', userId).execute()
      await trx.deleteFrom('web_session').where('user_id', '=', userId).execute()
      await appendAudit(trx, { actor, action: 'user-disable', recordType: 'user', recordId: userId, ...origin })
    })
  }
}
