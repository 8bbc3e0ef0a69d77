// The council's Operation Encompass view: every query it needs, in one place, each worked out for a
// "now" the caller passes (so a test can stand at any moment). A partnership view, so it shows the
// police reference, which child in the report, the setting, the deadline and what happened, never a
// child's name: who the child is stays with the setting told and the review queue.
import { sql } from 'kysely'
import type { ExpressionBuilder } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import type { Schema } from '../platform/db/schema.ts'
import { deadlineStatus, londonDay, percentReady, reviewAtRisk } from './dashboard-rules.ts'
import type { DeadlineStatus } from './dashboard-rules.ts'

/** One page of a list, or all of it (an export). */
export type Paging = { page: number, pageSize: number } | 'all'

export interface Listed<T> { rows: T[], total: number }

const offsetOf = (paging: Paging) => (paging === 'all' ? 0 : (paging.page - 1) * paging.pageSize)
const limitOf = (paging: Paging) => (paging === 'all' ? Number.MAX_SAFE_INTEGER : paging.pageSize)
const count = (value: unknown) => Number(value ?? 0)

/** A notification as the council sees it. */
export interface NotificationLine {
  id: string
  policeReference: string
  policeForce: string
  /** which child in the police report, from 1 */
  child: number
  recipientKind: 'setting' | 'council'
  /** the setting told (or the council, for a child with no setting) */
  recipientName: string
  settingUrn: string | null
  createdAt: Date
  deadline: Date
  firstOpenedAt: Date | null
  acknowledgedAt: Date | null
  escalationLevel: number
  status: DeadlineStatus
  /** why the child went to the council (children routed to it only) */
  reason?: string | null
}

/** Live notifications (not replaced by an amendment), with the incident, the force and who was told. */
function liveNotifications(db: Db) {
  return db.selectFrom('encompass_notification as n')
    .innerJoin('incident as i', 'i.id', 'n.incident_id')
    .innerJoin('organisation as f', 'f.id', 'i.police_organisation_id')
    .innerJoin('organisation as r', 'r.id', 'n.recipient_organisation_id')
    .where('n.superseded_at', 'is', null)
}

const NOTIFICATION_COLUMNS = [
  'n.id', 'i.police_reference', 'f.name as police_force', 'n.child_position', 'n.recipient_kind', 'r.name as recipient_name', 'n.setting_urn',
  'n.created_at', 'n.deadline', 'n.first_opened_at', 'n.acknowledged_at', 'n.escalation_level'
] as const

interface NotificationRow {
  id: string
  police_reference: string
  police_force: string
  child_position: number
  recipient_kind: 'setting' | 'council'
  recipient_name: string
  setting_urn: string | null
  created_at: Date
  deadline: Date
  first_opened_at: Date | null
  acknowledged_at: Date | null
  escalation_level: number
}

function lineOf(row: NotificationRow, now: Date): NotificationLine {
  return {
    id: row.id, policeReference: row.police_reference, policeForce: row.police_force, child: row.child_position + 1,
    recipientKind: row.recipient_kind, recipientName: row.recipient_name, settingUrn: row.setting_urn,
    createdAt: row.created_at, deadline: row.deadline, firstOpenedAt: row.first_opened_at, acknowledgedAt: row.acknowledged_at,
    escalationLevel: row.escalation_level,
    status: deadlineStatus({ deadline: row.deadline, firstOpenedAt: row.first_opened_at, acknowledgedAt: row.acknowledged_at }, now)
  }
}

/** When the recipient first saw it: the earlier of opening and acknowledging (null: neither). The SQL twin of firstSeen. */
const firstSeenSql = sql<Date | null>`least(n.first_opened_at, n.acknowledged_at)`

export type StatusCounts = Record<DeadlineStatus, number>

/** Today's notifications (sent today in London, or due today), soonest deadline first, with how many are in each deadline status. */
export async function todaysNotifications(db: Db, now: Date, paging: Paging): Promise<Listed<NotificationLine> & { counts: StatusCounts, date: string }> {
  const day = londonDay(now)
  // a day's notifications are a few dozen: all of them are read, so the figures and the list agree
  const rows = await liveNotifications(db).select(NOTIFICATION_COLUMNS)
    .where((eb) => eb.or([
      eb.and([eb('n.created_at', '>=', day.start), eb('n.created_at', '<', day.end)]),
      eb.and([eb('n.deadline', '>=', day.start), eb('n.deadline', '<', day.end)])
    ]))
    .orderBy('n.deadline').orderBy('i.police_reference').orderBy('n.child_position').execute()
  const lines = rows.map((row) => lineOf(row, now))
  const counts: StatusCounts = { 'on-time': 0, 'pending': 0, 'opened-late': 0, 'late': 0 }
  for (const line of lines) counts[line.status]++
  const start = offsetOf(paging)
  return { rows: lines.slice(start, start + limitOf(paging)), total: lines.length, counts, date: day.date }
}

/**
 * Notifications that missed their deadline: still unopened after it (the ones to chase) first, then
 * those opened after it; most recent deadline first within each.
 */
export async function lateNotifications(db: Db, now: Date, paging: Paging): Promise<Listed<NotificationLine> & { unopened: number }> {
  const late = liveNotifications(db)
    .where(sql<boolean>`(${firstSeenSql} is null and n.deadline <= ${now}) or ${firstSeenSql} > n.deadline`)
  const totals = await late.select((eb) => [
    eb.fn.countAll<number>().as('total'),
    eb.fn.countAll<number>().filterWhere(sql<boolean>`${firstSeenSql} is null`).as('unopened')
  ]).executeTakeFirstOrThrow()
  const rows = await late.select(NOTIFICATION_COLUMNS)
    .orderBy(sql`${firstSeenSql} is null`, 'desc').orderBy('n.deadline', 'desc').orderBy('n.id')
    .limit(limitOf(paging)).offset(offsetOf(paging)).execute()
  return { rows: rows.map((row) => lineOf(row, now)), total: count(totals.total), unopened: count(totals.unopened) }
}

/** Notifications nobody has acknowledged yet, soonest (or most overdue) deadline first. */
export async function unacknowledgedNotifications(db: Db, now: Date, paging: Paging): Promise<Listed<NotificationLine> & { overdue: number }> {
  const waiting = liveNotifications(db).where('n.acknowledged_at', 'is', null)
  const totals = await waiting.select((eb) => [
    eb.fn.countAll<number>().as('total'),
    eb.fn.countAll<number>().filterWhere('n.deadline', '<=', now).as('overdue')
  ]).executeTakeFirstOrThrow()
  const rows = await waiting.select(NOTIFICATION_COLUMNS).orderBy('n.deadline').orderBy('n.id')
    .limit(limitOf(paging)).offset(offsetOf(paging)).execute()
  return { rows: rows.map((row) => lineOf(row, now)), total: count(totals.total), overdue: count(totals.overdue) }
}

/** Children routed to the council (no school found, home educated, early years): unacknowledged first, newest first. */
export async function councilChildren(db: Db, now: Date, paging: Paging): Promise<Listed<NotificationLine> & { unacknowledged: number }> {
  const routed = liveNotifications(db).where('n.recipient_kind', '=', 'council')
  const totals = await routed.select((eb) => [
    eb.fn.countAll<number>().as('total'),
    eb.fn.countAll<number>().filterWhere('n.acknowledged_at', 'is', null).as('unacknowledged')
  ]).executeTakeFirstOrThrow()
  const rows = await routed
    .leftJoin('incident_child as c', (join) => join.onRef('c.incident_id', '=', 'n.incident_id').onRef('c.position', '=', 'n.child_position'))
    .select([...NOTIFICATION_COLUMNS, 'c.reason'])
    .orderBy(sql`n.acknowledged_at is null`, 'desc').orderBy('n.created_at', 'desc').orderBy('n.id')
    .limit(limitOf(paging)).offset(offsetOf(paging)).execute()
  return { rows: rows.map((row) => ({ ...lineOf(row, now), reason: row.reason })), total: count(totals.total), unacknowledged: count(totals.unacknowledged) }
}

/** A child from a police incident waiting in the review queue. */
export interface ReviewLine {
  /** the review item (/review/<id>) */
  id: string
  policeReference: string
  policeForce: string
  child: number
  waitingSince: Date
  /** minutes since the child joined the queue */
  waitingMinutes: number
  deadline: Date | null
  atRisk: boolean
  /** the deadline has already gone by: the setting did not hear in time */
  deadlinePassed: boolean
  reason: string | null
}

/** Open review items that came from police incidents, each with its child's deadline. */
function openIncidentReviews(db: Db) {
  return db.selectFrom('match_review as m')
    .innerJoin('incident_child as c', 'c.match_review_id', 'm.id')
    .innerJoin('incident as i', 'i.id', 'c.incident_id')
    .innerJoin('organisation as f', 'f.id', 'i.police_organisation_id')
    .where('m.status', '=', 'open')
}

const REVIEW_COLUMNS = ['m.id', 'm.created_at', 'i.police_reference', 'f.name as police_force', 'c.position', 'c.deadline', 'c.reason'] as const

function reviewLineOf(row: { id: string, created_at: Date, police_reference: string, police_force: string, position: number, deadline: Date | null, reason: string | null }, now: Date, atRiskMinutes: number): ReviewLine {
  return {
    id: row.id, policeReference: row.police_reference, policeForce: row.police_force, child: row.position + 1,
    waitingSince: row.created_at, waitingMinutes: Math.max(0, (now.getTime() - row.created_at.getTime()) / 60_000),
    deadline: row.deadline, atRisk: reviewAtRisk(row.deadline, now, atRiskMinutes), deadlinePassed: reviewAtRisk(row.deadline, now, 0), reason: row.reason
  }
}

/** The review queue's children from police incidents, oldest first, and how many are at risk of missing their deadline. */
export async function reviewQueue(db: Db, now: Date, atRiskMinutes: number, paging: Paging): Promise<Listed<ReviewLine> & { atRisk: number }> {
  const riskFrom = new Date(now.getTime() + atRiskMinutes * 60_000)
  const totals = await openIncidentReviews(db).select((eb) => [
    eb.fn.countAll<number>().as('total'),
    eb.fn.countAll<number>().filterWhere('c.deadline', '<=', riskFrom).as('at_risk')
  ]).executeTakeFirstOrThrow()
  const rows = await openIncidentReviews(db).select(REVIEW_COLUMNS).orderBy('m.created_at').orderBy('m.id')
    .limit(limitOf(paging)).offset(offsetOf(paging)).execute()
  return { rows: rows.map((row) => reviewLineOf(row, now, atRiskMinutes)), total: count(totals.total), atRisk: count(totals.at_risk) }
}

/** The review decisions at risk of missing their deadline (or past it), soonest deadline first. */
export async function reviewsAtRisk(db: Db, now: Date, atRiskMinutes: number, limit = 10): Promise<ReviewLine[]> {
  const riskFrom = new Date(now.getTime() + atRiskMinutes * 60_000)
  const rows = await openIncidentReviews(db).select(REVIEW_COLUMNS).where('c.deadline', '<=', riskFrom)
    .orderBy('c.deadline').orderBy('m.id').limit(limit).execute()
  return rows.map((row) => reviewLineOf(row, now, atRiskMinutes))
}

/** For the review queue page: each review item's deadline and whether it is at risk (items that are not from an incident are absent). */
export async function reviewDeadlines(db: Db, ids: string[], now: Date, atRiskMinutes: number): Promise<Map<string, { deadline: Date | null, atRisk: boolean, deadlinePassed: boolean }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('incident_child').select(['match_review_id', 'deadline']).where('match_review_id', 'in', ids).execute()
  return new Map(rows.map((row) => [row.match_review_id!, { deadline: row.deadline, atRisk: reviewAtRisk(row.deadline, now, atRiskMinutes), deadlinePassed: reviewAtRisk(row.deadline, now, 0) }]))
}

/** A setting that cannot receive notifications yet: not signed up, or no Designated Safeguarding Lead named. */
export interface SettingLine {
  urn: string
  name: string
  phase: string
  type: string
  signedUp: boolean
  leadNamed: boolean
  /** live notifications for it that nobody there has acknowledged */
  waiting: number
}

/** A setting has a lead when its named lead is someone who can still sign in. */
const hasLead = (eb: ExpressionBuilder<Schema & { s: Schema['education_setting'] }, 's'>) => eb.exists(
  eb.selectFrom('safeguarding_contact as sc').innerJoin('app_user as u', 'u.id', 'sc.user_id').select('sc.user_id')
    .whereRef('sc.organisation_id', '=', 's.organisation_id').where('sc.kind', '=', 'lead').where('u.status', '!=', 'disabled')
)

/** Settings that are open (or about to open): a closed school is not one to sign up. */
function currentSettings(db: Db) {
  return db.selectFrom('education_setting as s').innerJoin('organisation as o', 'o.id', 's.organisation_id').where('s.status', '!=', 'Closed')
}

/** Settings not ready to receive notifications, those with notifications waiting first, and how far the partnership is towards 100%. */
export async function settingsNotSignedUp(db: Db, paging: Paging): Promise<Listed<SettingLine> & { settings: number, ready: number, percentReady: number | undefined }> {
  const totals = await currentSettings(db).select((eb) => [
    eb.fn.countAll<number>().as('settings'),
    eb.fn.countAll<number>().filterWhere(eb.and([eb('s.encompass_signed_up', '=', true), hasLead(eb)])).as('ready')
  ]).executeTakeFirstOrThrow()
  const notReady = currentSettings(db).where((eb) => eb.not(eb.and([eb('s.encompass_signed_up', '=', true), hasLead(eb)])))
  const total = await notReady.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await notReady.select((eb) => [
    's.urn', 'o.name', 's.phase', 's.type_of_establishment', 's.encompass_signed_up', hasLead(eb).as('lead_named'),
    eb.selectFrom('encompass_notification as n').select((inner) => inner.fn.countAll<number>().as('n'))
      .whereRef('n.recipient_organisation_id', '=', 's.organisation_id').where('n.superseded_at', 'is', null).where('n.acknowledged_at', 'is', null)
      .as('waiting')
  ]).orderBy('waiting', 'desc').orderBy('o.name').orderBy('s.urn')
    .limit(limitOf(paging)).offset(offsetOf(paging)).execute()
  const settings = count(totals.settings)
  const ready = count(totals.ready)
  return {
    rows: rows.map((row) => ({
      urn: row.urn, name: row.name, phase: row.phase, type: row.type_of_establishment,
      signedUp: row.encompass_signed_up, leadNamed: Boolean(row.lead_named), waiting: count(row.waiting)
    })),
    total: count(total.n), settings, ready, percentReady: percentReady(ready, settings)
  }
}

/** How long a setting takes to acknowledge, from the notification being sent. */
export interface AcknowledgementLine {
  urn: string | null
  name: string
  acknowledged: number
  medianMinutes: number
}

const minutesToAcknowledge = sql<number>`extract(epoch from (n.acknowledged_at - n.created_at))::double precision / 60`
const medianMinutes = sql<number>`percentile_cont(0.5) within group (order by ${minutesToAcknowledge})`

function acknowledgedBySettings(db: Db) {
  return db.selectFrom('encompass_notification as n').innerJoin('organisation as o', 'o.id', 'n.recipient_organisation_id')
    .where('n.superseded_at', 'is', null).where('n.recipient_kind', '=', 'setting').where('n.acknowledged_at', 'is not', null)
}

/** Acknowledgement time per setting (median and how many), slowest first; and the median across every setting. */
export async function acknowledgementTimes(db: Db, paging: Paging): Promise<Listed<AcknowledgementLine> & { overallMedianMinutes: number | null, acknowledged: number }> {
  const totals = await acknowledgedBySettings(db).select((eb) => [
    sql<number>`count(distinct n.recipient_organisation_id)`.as('settings'),
    eb.fn.countAll<number>().as('acknowledged'),
    medianMinutes.as('median')
  ]).executeTakeFirstOrThrow()
  const rows = await acknowledgedBySettings(db)
    .groupBy(['n.recipient_organisation_id', 'o.name', 'o.urn'])
    .select((eb) => ['o.urn', 'o.name', eb.fn.countAll<number>().as('acknowledged'), medianMinutes.as('median_minutes')])
    .orderBy('median_minutes', 'desc').orderBy('o.name').orderBy('n.recipient_organisation_id')
    .limit(limitOf(paging)).offset(offsetOf(paging)).execute()
  return {
    rows: rows.map((row) => ({ urn: row.urn, name: row.name, acknowledged: count(row.acknowledged), medianMinutes: Number(row.median_minutes) })),
    total: count(totals.settings),
    acknowledged: count(totals.acknowledged),
    overallMedianMinutes: totals.median === null ? null : Number(totals.median)
  }
}

/** The lists the dashboard shows (and exports), by the name each has in its page parameter and CSV file. */
export const DASHBOARD_LISTS = ['today', 'late', 'unacknowledged', 'review', 'council', 'settings', 'acknowledgement'] as const
export type DashboardList = typeof DASHBOARD_LISTS[number]

export function isDashboardList(value: string): value is DashboardList {
  return (DASHBOARD_LISTS as readonly string[]).includes(value)
}

/** Everything the council's page shows, each list at its own page. */
export async function councilDashboard(db: Db, options: { now: Date, atRiskMinutes: number, pages: Record<DashboardList, number>, pageSize: number }) {
  const { now, atRiskMinutes, pages, pageSize } = options
  const at = (list: DashboardList): Paging => ({ page: pages[list], pageSize })
  return {
    today: await todaysNotifications(db, now, at('today')),
    late: await lateNotifications(db, now, at('late')),
    unacknowledged: await unacknowledgedNotifications(db, now, at('unacknowledged')),
    review: await reviewQueue(db, now, atRiskMinutes, at('review')),
    reviewsAtRisk: await reviewsAtRisk(db, now, atRiskMinutes),
    council: await councilChildren(db, now, at('council')),
    settings: await settingsNotSignedUp(db, at('settings')),
    acknowledgement: await acknowledgementTimes(db, at('acknowledgement'))
  }
}
