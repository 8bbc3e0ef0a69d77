// Notifications out: what each setting (or, for a child with no setting, the council) is told about a
// child after an incident, the emails that say one is waiting (never what it says), escalation when it is
// not opened in time, and the setting's inbox: opened (audited), acknowledged, and what the school did.
import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import type { Jobs } from '../platform/jobs/jobs.ts'
import { ROWS_A_STATEMENT } from '../platform/mail/mail.ts'
import type { Mail } from '../platform/mail/mail.ts'
import { appendAudit, canonicalJson } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { notificationContent } from './incident.ts'
import type { ContentPolicy, IncidentChild, IncidentReport, NotificationContent } from './incident.ts'
import type { FieldError } from '../platform/validation.ts'
import type { Route } from './routing.ts'
import { validateResponse } from './response.ts'
import { currentCalendarGeneration } from '../organisations/calendars.ts'

export const ESCALATION_QUEUE = 'encompass-escalate'

export interface NotificationPolicy {
  contentPolicy: ContentPolicy
  /** minutes after the deadline before an unopened notification goes to the deputies */
  escalationMinutes: number
  /** minutes after that before it goes to the council's Encompass lead */
  councilEscalationMinutes: number
  publicUrl: string
}

/** A child as routed by the intake, for deciding who is told what. */
export interface RoutedChildNotice {
  position: number
  child: IncidentChild
  route: Route
  settingUrn: string | undefined
  deadline: Date | undefined
  pupilId: string | undefined
}

type Origin = { ip?: string | undefined, requestId?: string | undefined }

/** One incident's children for `recordMany`: `isNew` (nothing was sent before), `complete` (the whole report, so children left out are withdrawn; true unless said), `now` (when it was received). */
export interface IncidentNotices {
  incident: { id: string, version: number, report: IncidentReport }
  children: RoutedChildNotice[]
  isNew?: boolean
  complete?: boolean
  now: Date
}

export interface NoticeOutcome { sent: string[], kept: string[], withdrawn: string[] }

interface SettingRecipients { id: string, signedUp: boolean, contacts: Array<{ id: string, email: string, kind: 'lead' | 'deputy' }> }
interface Email { notificationId: string, person: { id: string, email: string }, reason: 'notify' | 'escalate-deputies' | 'escalate-council' | 'no-lead', subject: string, lead: string }

export type EscalationStep = 'not-needed' | 'not-yet' | 'deputies' | 'council'

const COUNCIL_TTL_MS = 30_000

const hashOf = (content: NotificationContent): string => createHash('sha256').update(canonicalJson(content)).digest('hex')

/** The council that receives children with no setting and escalations: the owner of the default term calendar, else the first council. */
export async function councilOrganisationId(db: Db): Promise<string> {
  const owner = await db.selectFrom('term_calendar').select('owner_organisation_id as id').where('is_council_default', '=', true).orderBy('created_at').executeTakeFirst()
  if (owner) return owner.id
  const council = await db.selectFrom('organisation').select('id').where('type', '=', 'local_authority').orderBy('reference').executeTakeFirst()
  if (!council) throw new Error('There is no local authority organisation to receive Operation Encompass notifications')
  return council.id
}

/** People who may be emailed: active or invited, never disabled. */
async function encompassLeads(db: Db, councilId: string) {
  return await db.selectFrom('app_user as u').innerJoin('user_role as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.email']).where('u.organisation_id', '=', councilId).where('r.role', '=', 'encompass_officer')
    .where('u.status', '!=', 'disabled').orderBy('u.email').execute()
}

async function safeguardingContacts(db: Db, organisationId: string) {
  return await db.selectFrom('safeguarding_contact as c').innerJoin('app_user as u', 'u.id', 'c.user_id')
    .select(['u.id', 'u.email', 'c.kind']).where('c.organisation_id', '=', organisationId).where('u.status', '!=', 'disabled')
    .orderBy('c.kind', 'desc').orderBy('u.email').execute()
}

export class EncompassNotifications {
  readonly #db: Db
  readonly #jobs: Jobs
  readonly #mail: Mail
  readonly policy: NotificationPolicy
  #council: { at: number, generation: number, id: Promise<string> } | undefined

  constructor(db: Db, jobs: Jobs, mail: Mail, policy: NotificationPolicy) {
    this.#db = db
    this.#jobs = jobs
    this.#mail = mail
    this.policy = policy
  }

  async startWorker(): Promise<void> {
    await this.#jobs.work<{ id: string }>(ESCALATION_QUEUE, async (job) => { await this.escalate(job.id) })
  }

  /**
   * In the intake's transaction: a notification for each child routed to a setting or the council. On an
   * amendment, a child whose recipient and shown content are unchanged keeps the notification they have
   * (no second email); otherwise the old one is superseded and a new one sent. Children no longer
   * routed (now excluded, or held for review) have theirs withdrawn. With `complete: false` only the
   * children given are considered (a review decision about one child).
   */
  async record(trx: Db, incident: IncidentNotices['incident'], children: RoutedChildNotice[], now: Date, options: { complete?: boolean, isNew?: boolean } = {}): Promise<NoticeOutcome> {
    const [outcome] = await this.recordMany(trx, [{ incident, children, ...options, now }])
    return outcome!
  }

  /** `record` for several incidents written together (a batch received at once): the same, in a few statements for all of them. */
  async recordMany(trx: Db, incidents: IncidentNotices[]): Promise<NoticeOutcome[]> {
    // a new incident has no notifications yet: nothing to keep, supersede or withdraw
    const amended = incidents.filter((i) => !i.isNew).map((i) => i.incident.id)
    const live = amended.length === 0
      ? []
      : await trx.selectFrom('encompass_notification').selectAll().where('incident_id', 'in', amended).where('superseded_at', 'is', null).execute()
    const notifiable = (routed: RoutedChildNotice) => (routed.route === 'setting' || routed.route === 'local-authority') && routed.deadline !== undefined
    // every setting named, with whether it can receive and who receives, in one statement
    const urns = incidents.flatMap((i) => i.children.filter((r) => notifiable(r) && r.route === 'setting' && r.settingUrn).map((r) => r.settingUrn!))
    const recipients = await this.#settingRecipients(trx, [...new Set(urns)])
    let councilId: string | undefined
    let councilLeads: Array<{ id: string, email: string }> | undefined
    const toCouncil = async () => (councilLeads ??= await encompassLeads(trx, councilId ??= await this.#councilId(trx)))
    const created: Array<{ id: string, incident: IncidentNotices['incident'], routed: RoutedChildNotice & { deadline: Date }, setting: SettingRecipients | undefined, recipientId: string, content: NotificationContent, contentHash: string, previous: string | undefined, now: Date }> = []
    const withdrawn: Array<{ id: string, now: Date }> = []
    const outcomes: NoticeOutcome[] = []
    for (const { incident, children, complete = true, now } of incidents) {
      const liveAt = new Map(live.filter((n) => n.incident_id === incident.id).map((n) => [n.child_position, n]))
      const outcome: NoticeOutcome = { sent: [], kept: [], withdrawn: [] }
      outcomes.push(outcome)
      for (const routed of children) {
        const previous = liveAt.get(routed.position)
        liveAt.delete(routed.position)
        if (!notifiable(routed)) {
          if (previous) {
            withdrawn.push({ id: previous.id, now })
            outcome.withdrawn.push(previous.id)
          }
          continue
        }
        const setting = routed.route === 'setting' && routed.settingUrn ? recipients.get(routed.settingUrn) : undefined
        councilId ??= await this.#councilId(trx)
        const recipientId = setting?.id ?? councilId
        const content = notificationContent(incident.report, routed.child, this.policy.contentPolicy)
        const contentHash = hashOf(content)
        if (previous && previous.recipient_organisation_id === recipientId && previous.content_hash === contentHash) {
          outcome.kept.push(previous.id)
          continue
        }
        const id = randomUUID()
        created.push({ id, incident, routed: { ...routed, deadline: routed.deadline! }, setting, recipientId, content, contentHash, previous: previous?.id, now })
        outcome.sent.push(id)
      }
      // children no longer in the report at all (when given the whole report)
      for (const previous of complete ? liveAt.values() : []) {
        withdrawn.push({ id: previous.id, now })
        outcome.withdrawn.push(previous.id)
      }
    }
    if (created.length > 0) {
      await trx.insertInto('encompass_notification').values(created.map((n) => ({
        id: n.id, incident_id: n.incident.id, child_position: n.routed.position, incident_version: n.incident.version,
        recipient_organisation_id: n.recipientId, recipient_kind: n.setting ? 'setting' as const : 'council' as const, setting_urn: n.setting ? n.routed.settingUrn! : null,
        pupil_id: n.routed.pupilId ?? null, content: JSON.stringify(n.content), content_hash: n.contentHash, content_policy: this.policy.contentPolicy,
        deadline: n.routed.deadline, first_opened_at: null, first_opened_by_user_id: null, acknowledged_at: null, acknowledged_by_label: null,
        superseded_at: null, superseded_by: null
      }))).execute()
    }
    for (const n of created) {
      if (n.previous) await trx.updateTable('encompass_notification').set({ superseded_at: n.now, superseded_by: n.id }).where('id', '=', n.previous).execute()
    }
    for (const w of withdrawn) await trx.updateTable('encompass_notification').set({ superseded_at: w.now }).where('id', '=', w.id).execute()
    // the lead and deputies of a signed-up setting; the council's Encompass team when the setting cannot receive it (not signed up, or no lead named)
    const emails: Email[] = []
    for (const n of created) {
      if (!n.setting) {
        emails.push(...(await toCouncil()).map((person) => ({ notificationId: n.id, person, reason: 'notify' as const, subject: 'Harbour: a child has been routed to the council', lead: 'An Operation Encompass notification for a child with no known school is waiting for the council.' })))
      } else if (n.setting.signedUp && n.setting.contacts.some((c) => c.kind === 'lead')) {
        emails.push(...n.setting.contacts.map((person) => ({ notificationId: n.id, person, reason: 'notify' as const, subject: 'Harbour: an Operation Encompass notification is waiting', lead: 'An Operation Encompass notification is waiting for your setting. Please read it before the school day starts.' })))
      } else {
        emails.push(...(await toCouncil()).map((person) => ({ notificationId: n.id, person, reason: 'no-lead' as const, subject: 'Harbour: a notification for a setting that cannot receive it', lead: 'An Operation Encompass notification is waiting for a setting that is not signed up or has no Designated Safeguarding Lead named in Harbour. Please make sure the setting is told.' })))
      }
    }
    // the emails' delivery jobs and each new notification's escalation, in one statement
    await this.#send(trx, emails, created.map((n) => ({ name: ESCALATION_QUEUE, data: { id: n.id }, options: { startAfter: this.#escalationDue(n.routed.deadline, 1), retryLimit: 3 } })))
    return outcomes
  }

  /**
   * The council that receives (councilOrganisationId), kept a short time by this instance: it follows the
   * default term calendar, which changes rarely (calendarsChanged drops it; another process's change is
   * seen within COUNCIL_TTL_MS).
   */
  async #councilId(trx: Db): Promise<string> {
    const cached = this.#council
    if (cached && cached.generation === currentCalendarGeneration() && performance.now() - cached.at < COUNCIL_TTL_MS) return await cached.id
    const entry = { at: performance.now(), generation: currentCalendarGeneration(), id: councilOrganisationId(trx) }
    this.#council = entry
    return await entry.id.catch((error: unknown) => {
      if (this.#council === entry) this.#council = undefined
      throw error
    })
  }

  /** Settings by URN (those Harbour knows as organisations): whether signed up, and their lead and deputies. */
  async #settingRecipients(trx: Db, urns: string[]): Promise<Map<string, SettingRecipients>> {
    const found = new Map<string, SettingRecipients>()
    if (urns.length === 0) return found
    // one row a contact (or one with no contact): settings, their sign-up, their lead and deputies not disabled
    const rows = await trx.selectFrom('organisation as o').leftJoin('education_setting as s', 's.organisation_id', 'o.id')
      .leftJoin(
        (eb) => eb.selectFrom('safeguarding_contact as c').innerJoin('app_user as u', 'u.id', 'c.user_id')
          .select(['c.organisation_id', 'u.id as user_id', 'u.email', 'c.kind']).where('u.status', '!=', 'disabled').as('p'),
        (join) => join.onRef('p.organisation_id', '=', 'o.id'))
      .select(['o.id', 'o.urn', 's.encompass_signed_up', 'p.user_id', 'p.email', 'p.kind'])
      .where('o.urn', 'in', urns)
      .orderBy('o.id').orderBy('p.kind', 'desc').orderBy('p.email').execute()
    const byId = new Map<string, SettingRecipients>()
    for (const row of rows) {
      if (!row.urn) continue
      let setting = byId.get(row.id)
      if (!setting) {
        setting = { id: row.id, signedUp: Boolean(row.encompass_signed_up), contacts: [] }
        byId.set(row.id, setting)
        if (!found.has(row.urn)) found.set(row.urn, setting)
      }
      if (row.user_id && row.email && row.kind) setting.contacts.push({ id: row.user_id, email: row.email, kind: row.kind })
    }
    return found
  }

  /** Emails saying a notification is waiting (each its own mail_message row, delivery job and retries), and who each went to and why. */
  async #send(trx: Db, emails: Email[], alsoJobs: Parameters<Jobs['sendMany']>[0] = []): Promise<void> {
    if (emails.length === 0) {
      await this.#jobs.sendMany(alsoJobs, trx)
      return
    }
    // Nothing about the child or the incident: only that something is waiting, and where.
    const mailIds = await this.#mail.queueMany(emails.map((e) => ({
      to: e.person.email, subject: e.subject,
      body: `${e.lead}\n\nSign in to Harbour to read it:\n${this.#link(e.notificationId)}\n\nFor the child's safety this email never contains names or details.\n`
    })), trx, alsoJobs)
    for (let at = 0; at < emails.length; at += ROWS_A_STATEMENT) {
      await trx.insertInto('encompass_delivery')
        .values(emails.slice(at, at + ROWS_A_STATEMENT).map((e, i) => ({ notification_id: e.notificationId, mail_message_id: mailIds[at + i]!, user_id: e.person.id, reason: e.reason }))).execute()
    }
  }

  #escalationDue(deadline: Date, step: 1 | 2): Date {
    const minutes = this.policy.escalationMinutes + (step === 2 ? this.policy.councilEscalationMinutes : 0)
    return new Date(deadline.getTime() + minutes * 60_000)
  }

  #link(id: string): string {
    return `${this.policy.publicUrl}/notifications/${id}`
  }

  async #email(trx: Db, notificationId: string, to: Array<{ id: string, email: string }>, reason: Email['reason'], subject: string, lead: string): Promise<void> {
    await this.#send(trx, to.map((person) => ({ notificationId, person, reason, subject, lead })))
  }

  /**
   * Escalation, run by a job after the deadline: a notification still unopened goes to the deputies
   * (after the margin), then to the council's Encompass lead (after the council's margin). Opened,
   * acknowledged or superseded ones are left alone.
   */
  async escalate(id: string, now = new Date()): Promise<EscalationStep> {
    const step = await this.#db.transaction().execute(async (trx): Promise<EscalationStep> => {
      const n = await trx.selectFrom('encompass_notification').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
      if (!n || n.superseded_at || n.first_opened_at || n.acknowledged_at || n.escalation_level >= 2) return 'not-needed'
      const next = n.escalation_level === 0 ? 1 : 2
      const due = this.#escalationDue(n.deadline, next)
      if (now < due) {
        await this.#jobs.send(ESCALATION_QUEUE, { id }, { startAfter: due, retryLimit: 3 }, trx)
        return 'not-yet'
      }
      const deputies = n.recipient_kind === 'setting' ? (await safeguardingContacts(trx, n.recipient_organisation_id)).filter((c) => c.kind === 'deputy') : []
      let reached: EscalationStep
      if (next === 1 && deputies.length > 0) {
        await this.#email(trx, id, deputies, 'escalate-deputies', 'Harbour: an Operation Encompass notification has not been opened',
          'An Operation Encompass notification for your setting has not been opened and its deadline has passed. As a deputy safeguarding lead, please read it now.')
        await trx.updateTable('encompass_notification').set({ escalation_level: 1 }).where('id', '=', id).execute()
        await this.#jobs.send(ESCALATION_QUEUE, { id }, { startAfter: this.#escalationDue(n.deadline, 2), retryLimit: 3 }, trx)
        reached = 'deputies'
      } else {
        await this.#email(trx, id, await encompassLeads(trx, await councilOrganisationId(trx)), 'escalate-council', 'Harbour: a notification is unopened after its deadline',
          'An Operation Encompass notification is still unopened after its deadline and the escalation margin. Please make sure the child\'s setting is told.')
        await trx.updateTable('encompass_notification').set({ escalation_level: 2 }).where('id', '=', id).execute()
        reached = 'council'
      }
      await appendAudit(trx, { actor: { label: 'system' }, action: 'encompass-notification-escalate', recordType: 'encompass-notification', recordId: id, details: { to: reached } })
      return reached
    })
    return step
  }

  /** A recipient's notifications, unacknowledged first (soonest deadline first), then the rest newest first. */
  async inbox(organisationId: string, page: number, pageSize = 25) {
    const base = this.#db.selectFrom('encompass_notification as n').innerJoin('incident as i', 'i.id', 'n.incident_id')
      .where('n.recipient_organisation_id', '=', organisationId).where('n.superseded_at', 'is', null)
    const rows = await base.select(['n.id', 'n.content', 'n.deadline', 'n.created_at', 'n.first_opened_at', 'n.acknowledged_at', 'i.police_reference'])
      .orderBy(sql`n.acknowledged_at is null`, 'desc').orderBy(sql`case when n.acknowledged_at is null then n.deadline end`, 'asc').orderBy('n.created_at', 'desc')
      .limit(pageSize).offset((page - 1) * pageSize).execute()
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const unacknowledged = Number((await base.where('n.acknowledged_at', 'is', null).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    return { rows: rows.map((row) => ({ ...row, content: row.content as unknown as NotificationContent })), total, unacknowledged }
  }

  /**
   * One notification, only for its recipient (anyone else gets nothing, as if it did not exist); with
   * `current`, only while it is the current one (not superseded or withdrawn), locked for the change.
   */
  async #forRecipient(db: Db, organisationId: string, id: string, options: { current?: boolean } = {}) {
    let query = db.selectFrom('encompass_notification as n').innerJoin('incident as i', 'i.id', 'n.incident_id')
      .innerJoin('organisation as o', 'o.id', 'n.recipient_organisation_id')
      .selectAll('n').select(['i.police_reference', 'o.name as recipient_name'])
      .where('n.id', '=', id).where('n.recipient_organisation_id', '=', organisationId)
    if (options.current) query = query.where('n.superseded_at', 'is', null).forUpdate('n')
    return await query.executeTakeFirst()
  }

  /**
   * The recipient opens a notification: the first opening is recorded, and every view is audited (and
   * each pupil view). A notification withdrawn, or replaced by one to another recipient (the child was
   * not theirs after all), no longer shows the child: only that it was withdrawn.
   */
  async open(organisationId: string, id: string, actor: Actor, origin: Origin, now = new Date()) {
    return await this.#db.transaction().execute(async (trx) => {
      const n = await this.#forRecipient(trx, organisationId, id)
      if (!n) return undefined
      const successor = n.superseded_by
        ? await trx.selectFrom('encompass_notification').select('recipient_organisation_id').where('id', '=', n.superseded_by).executeTakeFirst()
        : undefined
      if (n.superseded_at && successor?.recipient_organisation_id !== organisationId) {
        await appendAudit(trx, { actor, action: 'encompass-notification-view', recordType: 'encompass-notification', recordId: id, ...origin, details: { withdrawn: true } })
        return { withdrawn: true as const, notification: { id: n.id, recipient_name: n.recipient_name, superseded_at: n.superseded_at } }
      }
      if (!n.first_opened_at && actor.userId) {
        await trx.updateTable('encompass_notification').set({ first_opened_at: now, first_opened_by_user_id: actor.userId }).where('id', '=', id).where('first_opened_at', 'is', null).execute()
      }
      await appendAudit(trx, { actor, action: 'encompass-notification-view', recordType: 'encompass-notification', recordId: id, ...origin, details: { policeReference: n.police_reference } })
      if (n.pupil_id) await appendAudit(trx, { actor, action: 'pupil-view', recordType: 'pupil', recordId: n.pupil_id, ...origin, details: { encompassNotification: id } })
      const response = await trx.selectFrom('encompass_response').selectAll().where('notification_id', '=', id).executeTakeFirst()
      const content = n.content as unknown as NotificationContent
      // this child's earlier notifications at this setting: the same pupil, or the same name and date of birth
      const chronology = await trx.selectFrom('encompass_notification as e').innerJoin('incident as i', 'i.id', 'e.incident_id')
        .select(['e.id', 'e.created_at', 'e.acknowledged_at', 'i.police_reference', 'i.occurred_at'])
        .where('e.recipient_organisation_id', '=', organisationId).where('e.id', '!=', id).where('e.superseded_at', 'is', null)
        .where((eb) => eb.or([
          ...(n.pupil_id ? [eb('e.pupil_id', '=', n.pupil_id)] : []),
          eb.and([eb(sql`e.content->>'childName'`, '=', content.childName), eb(sql`e.content->>'dateOfBirth'`, '=', content.dateOfBirth)])
        ]))
        .orderBy('i.occurred_at', 'desc').limit(50).execute()
      return { withdrawn: false as const, notification: { ...n, first_opened_at: n.first_opened_at ?? now, content }, response, chronology }
    })
  }

  /** Acknowledge a current notification: once (a retry, a second click or a race with the school's system leaves the first acknowledgement as it was). */
  async acknowledge(organisationId: string, id: string, actor: Actor, origin: Origin, now = new Date()): Promise<{ acknowledgedAt: Date } | undefined> {
    return await this.#db.transaction().execute(async (trx) => {
      const n = await this.#forRecipient(trx, organisationId, id, { current: true })
      if (!n) return undefined
      if (n.acknowledged_at) return { acknowledgedAt: n.acknowledged_at }
      const updated = await trx.updateTable('encompass_notification').set({
        acknowledged_at: now, acknowledged_by_label: actor.label,
        ...(n.first_opened_at ? {} : { first_opened_at: now, first_opened_by_user_id: actor.userId ?? null })
      }).where('id', '=', id).where('acknowledged_at', 'is', null).returning('acknowledged_at').executeTakeFirst()
      if (!updated) {
        const first = await trx.selectFrom('encompass_notification').select('acknowledged_at').where('id', '=', id).executeTakeFirstOrThrow()
        return { acknowledgedAt: first.acknowledged_at! }
      }
      await appendAudit(trx, { actor, action: 'encompass-notification-acknowledge', recordType: 'encompass-notification', recordId: id, ...origin, details: { policeReference: n.police_reference } })
      return { acknowledgedAt: now }
    })
  }

  /** What the school did; recorded (or corrected) by the recipient, audited each time. */
  async recordResponse(organisationId: string, id: string, input: Record<string, unknown>, actor: Actor, origin: Origin): Promise<{ ok: true } | { ok: false, errors: FieldError[] } | undefined> {
    const checked = validateResponse(input)
    return await this.#db.transaction().execute(async (trx) => {
      const n = await this.#forRecipient(trx, organisationId, id, { current: true })
      if (!n) return undefined
      if (!checked.ok) return checked
      const r = checked.response
      const values = {
        support: r.support, welfare_check: r.welfareCheck, parent_contact: r.parentContact, parent_contact_reason: r.parentContactReason,
        mash_referral: r.mashReferral, staff_told: r.staffTold, recorded_by_user_id: actor.userId ?? null, recorded_by_label: actor.label, recorded_at: new Date()
      }
      await trx.insertInto('encompass_response').values({ notification_id: id, ...values })
        .onConflict((oc) => oc.column('notification_id').doUpdateSet(values)).execute()
      await appendAudit(trx, { actor, action: 'encompass-response-record', recordType: 'encompass-notification', recordId: id, ...origin, details: { support: r.support, welfareCheck: r.welfareCheck, parentContact: r.parentContact, mashReferral: r.mashReferral } })
      return { ok: true } as const
    })
  }

  /**
   * For a school's system: its current notifications, unacknowledged first, and those acknowledged in the
   * last 7 days. Pulling one counts as opening it (no escalation follows), and each pull is audited with
   * the notifications it returned.
   */
  async forSchoolSystem(organisationId: string, actor: Actor, origin: Origin, now = new Date(), limit = 100) {
    return await this.#db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('encompass_notification as n').innerJoin('incident as i', 'i.id', 'n.incident_id')
        .select(['n.id', 'n.content', 'n.deadline', 'n.acknowledged_at', 'n.first_opened_at', 'i.police_reference', 'i.occurred_at'])
        .where('n.recipient_organisation_id', '=', organisationId).where('n.superseded_at', 'is', null)
        .where((eb) => eb.or([eb('n.acknowledged_at', 'is', null), eb('n.acknowledged_at', '>', new Date(now.getTime() - 7 * 86_400_000))]))
        .orderBy(sql`n.acknowledged_at is null`, 'desc').orderBy('n.deadline', 'asc').limit(limit).execute()
      const unopened = rows.filter((row) => !row.first_opened_at).map((row) => row.id)
      if (unopened.length > 0) {
        await trx.updateTable('encompass_notification').set({ first_opened_at: now }).where('id', 'in', unopened).where('first_opened_at', 'is', null).execute()
      }
      await appendAudit(trx, { actor, action: 'encompass-notification-list', recordType: 'encompass-notification', ...origin, details: { shown: rows.map((r) => r.id), opened: unopened } })
      return rows.map((row) => {
        const content = row.content as unknown as NotificationContent
        return {
          id: row.id, childName: content.childName, dateOfBirth: content.dateOfBirth, policeReference: row.police_reference,
          occurredAt: row.occurred_at.toISOString(), deadline: row.deadline.toISOString(), acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
          content
        }
      })
    })
  }

  /** Emails sent about a notification and whether each was delivered. */
  async deliveries(id: string) {
    return await this.#db.selectFrom('encompass_delivery as d').innerJoin('mail_message as m', 'm.id', 'd.mail_message_id')
      .select(['d.reason', 'm.recipient', 'm.status', 'm.attempts', 'm.created_at', 'm.sent_at']).where('d.notification_id', '=', id).orderBy('m.created_at').execute()
  }
}
