// Sign-in: password, then a second factor for roles that see children's records; database sessions
// with an idle timeout; throttling and a temporary lock after repeated failures; invitations.
import { createHash, randomBytes } from 'node:crypto'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import { grantsOf, needsSecondFactor } from '../access/roles.ts'
import type { OrganisationType, Permission, Scope } from '../access/roles.ts'
import { appendAudit } from '../audit/audit.ts'
import type { Actor } from '../audit/audit.ts'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts'
import { newTotpSecret, verifyTotp } from './totp.ts'

export interface CurrentUser {
  id: string
  email: string
  displayName: string
  organisationId: string
  organisationName: string
  organisationType: OrganisationType
  teamId: string | null
  roles: string[]
  grants: Map<Permission, Scope>
  isDemo: boolean
}

export type SessionStage = 'second-factor' | 'enrol-second-factor' | 'complete'

export interface SignedInSession {
  user: CurrentUser
  stage: SessionStage
  secondFactorSkipped: boolean
  enrolmentSecret: string | null
  idHash: string
}

export interface RequestOrigin { ip: string, requestId: string }

export type SignInResult =
  | { ok: true, token: string, stage: SessionStage }
  | { ok: false, reason: 'invalid' | 'locked' }

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex')
export const randomToken = (): string => randomBytes(32).toString('base64url')

export function actorOf(user: CurrentUser): Actor {
  return { userId: user.id, organisationId: user.organisationId, label: user.email }
}

export class AuthService {
  readonly #db: Db
  readonly #config: Config

  constructor(config: Config, db: Db) {
    this.#config = config
    this.#db = db
  }

  async loadUser(userId: string): Promise<CurrentUser | undefined> {
    const row = await this.#db.selectFrom('app_user as u')
      .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
      .select(['u.id', 'u.email', 'u.display_name', 'u.organisation_id', 'u.team_id', 'u.is_demo', 'u.status', 'o.name as organisation_name', 'o.type as organisation_type'])
      .where('u.id', '=', userId).executeTakeFirst()
    if (!row || row.status !== 'active') return undefined
    const roles = (await this.#db.selectFrom('user_role').select('role').where('user_id', '=', userId).orderBy('role').execute()).map((r) => r.role)
    return {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      organisationType: row.organisation_type as OrganisationType,
      teamId: row.team_id,
      roles,
      grants: grantsOf(roles),
      isDemo: row.is_demo
    }
  }

  /** Demo accounts skip the second factor, and only outside production. */
  #skipsSecondFactor(user: CurrentUser): boolean {
    return user.isDemo && !this.#config.production
  }

  async signIn(email: string, password: string, origin: RequestOrigin): Promise<SignInResult> {
    const normalised = email.trim().toLowerCase()
    const account = await this.#db.selectFrom('app_user').selectAll().where('email', '=', normalised).executeTakeFirst()
    const audit = (outcome: 'success' | 'failure', reason?: string) => appendAudit(this.#db, {
      actor: { userId: account?.id, organisationId: account?.organisation_id, label: normalised || 'anonymous' },
      action: 'sign-in', outcome, ...origin, details: reason ? { reason } : {}
    })
    const now = new Date()
    if (account?.locked_until && account.locked_until > now) {
      await verifyPassword(password, null)
      await audit('failure', 'account temporarily locked')
      return { ok: false, reason: 'locked' }
    }
    const passwordOk = await verifyPassword(password, account?.password_hash ?? null)
    if (!account || !passwordOk || account.status !== 'active') {
      if (account) {
        // One statement counts the failure and locks at the limit, so parallel guesses cannot slip past it.
        const max = this.#config.signInMaxFailures
        const lockedUntil = new Date(now.getTime() + this.#config.signInLockMinutes * 60_000)
        const counted = await this.#db.updateTable('app_user').set((eb) => ({
          failed_sign_ins: eb.case().when('failed_sign_ins', '>=', max - 1).then(0).else(eb('failed_sign_ins', '+', 1)).end(),
          locked_until: eb.case().when('failed_sign_ins', '>=', max - 1).then(lockedUntil).else(eb.ref('locked_until')).end()
        })).where('id', '=', account.id).returning('locked_until').executeTakeFirstOrThrow()
        const lock = counted.locked_until !== null && counted.locked_until.getTime() === lockedUntil.getTime()
        await audit('failure', lock ? `wrong password; locked for ${this.#config.signInLockMinutes} minutes` : account.status !== 'active' ? `account ${account.status}` : 'wrong password')
        if (lock) return { ok: false, reason: 'locked' }
      } else {
        await audit('failure', 'no such account')
      }
      return { ok: false, reason: 'invalid' }
    }
    const user = await this.loadUser(account.id)
    if (!user) return { ok: false, reason: 'invalid' }
    const skip = this.#skipsSecondFactor(user)
    const stage: SessionStage = !needsSecondFactor(user.roles) || skip ? 'complete' : account.totp_enrolled_at ? 'second-factor' : 'enrol-second-factor'
    const token = randomToken()
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now }).where('id', '=', account.id).execute()
      await trx.insertInto('web_session').values({
        id_hash: sha256(token), user_id: account.id, stage, last_seen_at: now, ip: origin.ip,
        second_factor_skipped: skip && needsSecondFactor(user.roles),
        enrolment_secret: stage === 'enrol-second-factor' ? newTotpSecret() : null
      }).execute()
    })
    await audit('success', stage === 'complete' ? undefined : `password accepted; ${stage} to follow`)
    return { ok: true, token, stage }
  }

  /** The session behind a cookie, if it exists and has not been idle too long; touching it extends it. */
  async session(token: string | undefined): Promise<SignedInSession | undefined> {
    if (!token) return undefined
    const idHash = sha256(token)
    const row = await this.#db.selectFrom('web_session').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
    if (!row) return undefined
    const now = Date.now()
    if (now - row.last_seen_at.getTime() > this.#config.sessionIdleMinutes * 60_000) {
      await this.#db.deleteFrom('web_session').where('id_hash', '=', idHash).execute()
      return undefined
    }
    const user = await this.loadUser(row.user_id)
    if (!user) return undefined
    if (now - row.last_seen_at.getTime() > 15_000) {
      await this.#db.updateTable('web_session').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute()
    }
    return { user, stage: row.stage, secondFactorSkipped: row.second_factor_skipped, enrolmentSecret: row.enrolment_secret, idHash }
  }

  async completeSecondFactor(session: SignedInSession, code: string, origin: RequestOrigin): Promise<boolean> {
    const account = await this.#db.selectFrom('app_user').select(['totp_secret', 'totp_last_step']).where('id', '=', session.user.id).executeTakeFirstOrThrow()
    const enrolling = session.stage === 'enrol-second-factor'
    const secret = enrolling ? session.enrolmentSecret : account.totp_secret
    const step = secret ? verifyTotp(secret, code, enrolling ? null : account.totp_last_step) : undefined
    const actor = actorOf(session.user)
    if (step === undefined) {
      await appendAudit(this.#db, { actor, action: enrolling ? 'second-factor-enrol' : 'second-factor', outcome: 'failure', ...origin })
      return false
    }
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('app_user').set({
        totp_last_step: step,
        ...(enrolling ? { totp_secret: secret, totp_enrolled_at: new Date() } : {})
      }).where('id', '=', session.user.id).execute()
      await trx.updateTable('web_session').set({ stage: 'complete', enrolment_secret: null }).where('id_hash', '=', session.idHash).execute()
      await appendAudit(trx, { actor, action: enrolling ? 'second-factor-enrol' : 'second-factor', ...origin })
    })
    return true
  }

  async signOut(session: SignedInSession, origin: RequestOrigin): Promise<void> {
    await this.#db.deleteFrom('web_session').where('id_hash', '=', session.idHash).execute()
    await appendAudit(this.#db, { actor: actorOf(session.user), action: 'sign-out', ...origin })
  }

  /** Creates an invitation token (valid for 7 days) for a person to set their password. */
  async createInvitation(trx: Db, userId: string, invitedBy: string | null): Promise<string> {
    const token = randomToken()
    await trx.updateTable('invitation').set({ used_at: new Date() }).where('user_id', '=', userId).where('used_at', 'is', null).execute()
    await trx.insertInto('invitation').values({
      token_hash: sha256(token), user_id: userId, created_by_user_id: invitedBy,
      expires_at: new Date(Date.now() + 7 * 24 * 3600_000)
    }).execute()
    return token
  }

  async invitation(token: string) {
    return await this.#db.selectFrom('invitation as i')
      .innerJoin('app_user as u', 'u.id', 'i.user_id')
      .select(['i.token_hash', 'i.user_id', 'u.email', 'u.display_name', 'u.status'])
      .where('i.token_hash', '=', sha256(token)).where('i.used_at', 'is', null).where('i.expires_at', '>', new Date())
      .where('u.status', '!=', 'disabled')
      .executeTakeFirst()
  }

  /** Sets the password from an invitation; the person then signs in (and enrols a second factor if needed). */
  async acceptInvitation(token: string, password: string, origin: RequestOrigin): Promise<{ ok: true } | { ok: false, error: string }> {
    const invitation = await this.invitation(token)
    if (!invitation) return { ok: false, error: 'This invitation link has expired or has already been used. Ask your administrator for a new one.' }
    const problem = passwordProblem(password)
    if (problem) return { ok: false, error: problem }
    const passwordHash = await hashPassword(password)
    const used = await this.#db.transaction().execute(async (trx) => {
      // only if still unused: the same link sent twice at once works once
      const claimed = await trx.updateTable('invitation').set({ used_at: new Date() }).where('token_hash', '=', invitation.token_hash).where('used_at', 'is', null).executeTakeFirst()
      if (Number(claimed.numUpdatedRows) === 0) return false
      await trx.updateTable('app_user').set({ password_hash: passwordHash, status: 'active', failed_sign_ins: 0, locked_until: null })
        .where('id', '=', invitation.user_id).execute()
      await appendAudit(trx, { actor: { userId: invitation.user_id, label: invitation.email }, action: 'invitation-accept', recordType: 'user', recordId: invitation.user_id, ...origin })
      return true
    })
    if (!used) return { ok: false, error: 'This invitation link has expired or has already been used. Ask your administrator for a new one.' }
    return { ok: true }
  }
}
