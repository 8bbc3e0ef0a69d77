// MARAC cases: the queries and the service behind the API, the pages and the command line. A referral is
// stored in one transaction with its repeat decision (the same victim and perpetrator recognised through
// the linkage library, judged by repeat.ts); the queue is allocated to meetings by allocation.ts; waiting
// times, the alert and the quarterly return are worked out by the pure rules from what is stored here.
// Everything that changes a case is audited.
import { sql } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { ORGANISATION_TYPES } from '../platform/access/roles.ts'
import type { OrganisationType } from '../platform/access/roles.ts'
import { todayInLondon } from '../platform/time/dates.ts'
import { addDays } from '../platform/time/london-time.ts'
import { BAME_ETHNICITIES, statedCriteria, validateReferral, referralHash } from './referrals.ts'
import type { Criterion, Referral } from './referrals.ts'
import type { FieldError } from '../platform/validation.ts'
import { potentialEscalation, repeatDecision } from './repeat.ts'
import type { PreviousReferral } from './repeat.ts'
import { allocate, meetingDates, overTargetWait, queueAlert, waitingDays } from './allocation.ts'
import type { AllocationOutcome, Meeting, MeetingRhythm, OverTarget, WaitingReferral } from './allocation.ts'
import { idvaContactDue, timeliness } from './working-days.ts'
import type { TimelinessCheck } from './working-days.ts'
import { parseQuarter, quarterlyReturn } from './returns.ts'
import type { MaracReturn, ReturnCase } from './returns.ts'
import { preparePerson, samePerpetrator, samePerson, sameVictimWithPerpetrator, surnameKey } from './same-person.ts'
import { LOCKS } from '../platform/db/locks.ts'

type Origin = { ip?: string, requestId?: string }

const LOCK = LOCKS.maracCases
/** How many meetings ahead the queue is allocated over. */
export const MEETINGS_AHEAD = 6
/** The alert fires when the next this-many meetings cannot take every waiting case. */
export const ALERT_MEETINGS = 2

export interface Area {
  code: string
  name: string
  council: string
  rhythm: MeetingRhythm
  firstMeeting: string
  capacity: number
  targetWaitDays: number
  adultWomen: number
  escalationThreshold: number
}

const areaOf = (row: { code: string, name: string, council: string, rhythm: MeetingRhythm, first_meeting: string, capacity: number, target_wait_days: number, adult_women: number, escalation_threshold: number }): Area => ({
  code: row.code, name: row.name, council: row.council, rhythm: row.rhythm, firstMeeting: row.first_meeting, capacity: row.capacity,
  targetWaitDays: row.target_wait_days, adultWomen: row.adult_women, escalationThreshold: row.escalation_threshold
})

export async function listAreas(db: Db): Promise<Area[]> {
  return (await db.selectFrom('marac_area').selectAll().orderBy('name').execute()).map(areaOf)
}

export async function findArea(db: Db, code: string): Promise<Area | undefined> {
  const row = await db.selectFrom('marac_area').selectAll().where('code', '=', code).executeTakeFirst()
  return row ? areaOf(row) : undefined
}

// ---- referrals

export interface ReferralAnswer {
  id: string
  repeat: boolean
  /** the last referral of the same victim and perpetrator, where this one is a repeat */
  previousReferralId?: string
  areaCode: string
  referredOn: string
  criteriaMet: Criterion[]
  /** the IDVA's first contact with the victim is due by the end of this day (2 working days) */
  idvaContactDue: string
}

export type ReferralResult =
  | { ok: true, created: boolean, answer: ReferralAnswer }
  | { ok: false, kind: 'invalid', errors: FieldError[] }
  | { ok: false, kind: 'conflict', message: string }

interface StoredReferral {
  id: string
  referral: Referral
  referred_on: string
  repeat: boolean
  previous_referral_id: string | null
  area_code: string
  criteria_met: string[]
}

const answerOf = (row: StoredReferral): ReferralAnswer => ({
  id: row.id, repeat: row.repeat, ...(row.repeat && row.previous_referral_id ? { previousReferralId: row.previous_referral_id } : {}),
  areaCode: row.area_code, referredOn: row.referred_on, criteriaMet: row.criteria_met as Criterion[], idvaContactDue: idvaContactDue(row.referred_on)
})

/**
 * The earlier referrals of the same victim and (at least one of) the same perpetrators, found through the
 * linkage library: candidates share the victim's date of birth or cleaned surname (so one slip in either
 * still finds them, and a victim whose surname has changed is found by her date of birth), then each is
 * compared person by person. With a perpetrator of the earlier referral recognised, the victim is
 * recognised on first name and date of birth alone (sameVictimWithPerpetrator): a surname often changes
 * after separation; a twin (another first name) is still not her.
 */
async function earlierOfSamePair(db: Db, referral: Referral): Promise<PreviousReferral[]> {
  const candidates = await db.selectFrom('marac_referral').select(['id', 'referral', 'referred_on'])
    .where((eb) => eb.or([eb('victim_dob', '=', referral.victim.dateOfBirth), eb('victim_surname_key', '=', surnameKey(referral.victim.lastName))]))
    .execute()
  const victim = preparePerson(referral.victim)
  const perpetrators = referral.perpetrators.map((p) => preparePerson(p))
  const previous: PreviousReferral[] = []
  for (const candidate of candidates) {
    const earlier = candidate.referral as unknown as Referral
    const earlierVictim = preparePerson(earlier.victim)
    const shared = earlier.perpetrators.some((p) => perpetrators.some((q) => samePerpetrator(q, preparePerson(p))))
    if (!samePerson(victim, earlierVictim) && !(shared && sameVictimWithPerpetrator(victim, earlierVictim))) continue
    // the same victim; the pair is the same only with a perpetrator in common
    previous.push({ id: candidate.id, referredOn: candidate.referred_on, victimId: 'victim', perpetratorIds: shared ? ['perpetrator'] : [] })
  }
  return previous
}

/** Stores a referral (checked, its repeat decided), or gives the same answer to the same referral sent again. */
export async function createReferral(db: Db, input: { organisationId: string, body: unknown, actor: Actor, origin?: Origin, now?: Date, riskAssessmentId?: string }): Promise<ReferralResult> {
  const now = input.now ?? new Date()
  const today = todayInLondon(now)
  const checked = validateReferral(input.body, today)
  if (!checked.ok) return { ok: false, kind: 'invalid', errors: checked.errors }
  const referral = checked.referral
  const hash = referralHash(referral)
  return await db.transaction().execute(async (trx): Promise<ReferralResult> => {
    await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx)
    const existing = await trx.selectFrom('marac_referral').select(['id', 'referral', 'referred_on', 'repeat', 'previous_referral_id', 'area_code', 'criteria_met', 'content_hash'])
      .where('referring_organisation_id', '=', input.organisationId).where('client_reference', '=', referral.referralReference).executeTakeFirst()
    if (existing) {
      if (existing.content_hash !== hash) {
        return { ok: false, kind: 'conflict', message: `Referral reference "${referral.referralReference}" was already used for a different referral: give this one its own reference` }
      }
      return { ok: true, created: false, answer: answerOf(existing as unknown as StoredReferral) }
    }
    const area = await findArea(trx, referral.areaCode)
    if (!area) {
      const codes = (await listAreas(trx)).map((a) => a.code)
      return { ok: false, kind: 'invalid', errors: [{ field: 'areaCode', message: `is not a MARAC area: use one of ${codes.join(', ') || '(none set up yet)'}` }] }
    }
    const previous = await earlierOfSamePair(trx, referral)
    const decision = repeatDecision({ victimId: 'victim', perpetratorIds: ['perpetrator'], on: today }, previous)
    const escalation = potentialEscalation(referral.criteria.policeIncidentDates, today, area.escalationThreshold)
    const criteriaMet: Criterion[] = [...statedCriteria(referral.criteria, escalation), ...(decision.repeat ? ['repeat' as const] : [])]
    if (criteriaMet.length === 0) {
      return {
        ok: false, kind: 'invalid', errors: [{
          field: 'criteria',
          message: `meets no referral criterion: give the risk checklist's Yes count (${14} or more is visible high risk), your professional judgement with reasons, or ${area.escalationThreshold} or more police-reported incidents in the last 12 months (${escalation.count} given)`
        }]
      }
    }
    const row = await trx.insertInto('marac_referral').values({
      area_code: area.code, referring_organisation_id: input.organisationId, client_reference: referral.referralReference, content_hash: hash,
      referrer: JSON.stringify(referral.referrer), referral: JSON.stringify(referral),
      victim_dob: referral.victim.dateOfBirth, victim_surname_key: surnameKey(referral.victim.lastName),
      high_priority: referral.highPriority, repeat: decision.repeat, previous_referral_id: decision.previousReferralId ?? null, criteria_met: criteriaMet,
      children_count: referral.children.length, children_in_household: referral.children.filter((c) => c.livesInHousehold).length,
      referred_at: now, referred_on: today, created_by_label: input.actor.label, created_by_user_id: input.actor.userId ?? null,
      risk_assessment_id: input.riskAssessmentId ?? null
    }).returning(['id', 'referral', 'referred_on', 'repeat', 'previous_referral_id', 'area_code', 'criteria_met']).executeTakeFirstOrThrow()
    await appendAudit(trx, {
      actor: input.actor, action: 'marac-referral-create', recordType: 'marac-referral', recordId: row.id, ...input.origin,
      details: { areaCode: area.code, clientReference: referral.referralReference, repeat: decision.repeat, previousReferralId: decision.previousReferralId, criteriaMet, children: referral.children.length }
    })
    return { ok: true, created: true, answer: answerOf(row as unknown as StoredReferral) }
  })
}

export interface ReferralDetail {
  id: string
  area: Area
  referringOrganisationId: string
  referringOrganisation: string
  clientReference: string
  referral: Referral
  referredAt: Date
  referredOn: string
  repeat: boolean
  previousReferralId: string | null
  criteriaMet: Criterion[]
  highPriority: boolean
  idvaContactDue: string
  idvaContactedOn: string | null
  hearing: { meetingId: string, on: string, placedBy: 'queue' | 'coordinator', reason: string | null, waitingDays: number } | undefined
  /** the person who made the referral (none for a referral from another system) */
  createdByUserId: string | null
  /** the completed risk assessment it was made from, if any */
  riskAssessmentId: string | null
}

export async function findReferral(db: Db, id: string): Promise<ReferralDetail | undefined> {
  const row = await db.selectFrom('marac_referral as r').innerJoin('organisation as o', 'o.id', 'r.referring_organisation_id')
    .leftJoin('marac_allocation as a', (join) => join.onRef('a.referral_id', '=', 'r.id').on('a.superseded_at', 'is', null)).leftJoin('marac_meeting as m', 'm.id', 'a.meeting_id')
    .select(['r.id', 'r.area_code', 'r.referring_organisation_id', 'r.created_by_user_id', 'r.risk_assessment_id', 'o.name as organisation', 'r.client_reference', 'r.referral', 'r.referred_at', 'r.referred_on', 'r.repeat',
      'r.previous_referral_id', 'r.criteria_met', 'r.high_priority', 'r.idva_contacted_on', 'a.meeting_id', 'm.meets_on', 'a.placed_by', 'a.move_reason', 'a.waiting_days'])
    .where('r.id', '=', id).executeTakeFirst()
  if (!row) return undefined
  const area = (await findArea(db, row.area_code))!
  return {
    id: row.id, area, referringOrganisationId: row.referring_organisation_id, referringOrganisation: row.organisation, clientReference: row.client_reference,
    referral: row.referral as unknown as Referral, referredAt: row.referred_at, referredOn: row.referred_on, repeat: row.repeat, previousReferralId: row.previous_referral_id,
    criteriaMet: row.criteria_met as Criterion[], highPriority: row.high_priority, idvaContactDue: idvaContactDue(row.referred_on), idvaContactedOn: row.idva_contacted_on,
    createdByUserId: row.created_by_user_id,
    riskAssessmentId: row.risk_assessment_id,
    hearing: row.meeting_id && row.meets_on && row.placed_by
      ? { meetingId: row.meeting_id, on: row.meets_on, placedBy: row.placed_by, reason: row.move_reason, waitingDays: row.waiting_days ?? 0 }
      : undefined
  }
}

// ---- the queue and the meetings

export interface QueueCase {
  id: string
  referredOn: string
  highPriority: boolean
  repeat: boolean
  victimName: string
  referringOrganisation: string
  children: number
  waitingDays: number
  /** where the queue would put it now, if allocated */
  proposedMeeting?: string
  /** the IDVA's first contact with the victim: due 2 working days after the referral */
  idvaContact: TimelinessCheck
}

export interface MeetingRow {
  id?: string
  date: string
  capacity: number
  booked: number
  spare: number
  overCapacity: boolean
  /** cases the queue would add now */
  proposed: number
  cases: Array<{ id: string, victimName: string, referredOn: string, waitingDays: number, placedBy: 'queue' | 'coordinator', reason: string | null, highPriority: boolean }>
}

export interface TrendRow { month: string, cases: number, averageWait: number, longestWait: number, overTarget: number }

export interface QueueView {
  area: Area
  today: string
  waiting: QueueCase[]
  meetings: MeetingRow[]
  alert: ReturnType<typeof queueAlert>
  overTarget: Array<OverTarget & { victimName: string, hearingOn?: string }>
  trend: TrendRow[]
}

/** The area's next meetings from `today`, each with its stored capacity and the cases already on it. */
async function upcoming(db: Db, area: Area, today: string): Promise<Array<Meeting & { id?: string }>> {
  const dates = meetingDates({ code: area.code, rhythm: area.rhythm, firstMeeting: area.firstMeeting, capacity: area.capacity }, today, MEETINGS_AHEAD)
  const stored = dates.length === 0 ? [] : await db.selectFrom('marac_meeting as m').leftJoin('marac_allocation as a', 'a.meeting_id', 'm.id')
    .select(['m.id', 'm.meets_on', 'm.capacity', (eb) => eb.fn.count<number>('a.referral_id').as('booked')])
    .where('m.area_code', '=', area.code).where('m.meets_on', 'in', dates).groupBy(['m.id', 'm.meets_on', 'm.capacity']).execute()
  return dates.map((date) => {
    const row = stored.find((s) => s.meets_on === date)
    return row ? { id: row.id, date, capacity: row.capacity, booked: Number(row.booked) } : { date, capacity: area.capacity, booked: 0 }
  })
}

interface WaitingRow { id: string, referred_on: string, high_priority: boolean, repeat: boolean, referral: Referral, organisation: string, children_count: number, idva_contacted_on: string | null }

async function waitingReferrals(db: Db, areaCode: string): Promise<WaitingRow[]> {
  const rows = await db.selectFrom('marac_referral as r').innerJoin('organisation as o', 'o.id', 'r.referring_organisation_id')
    // waiting: no current hearing (a case heard in another area and transferred here waits again)
    .leftJoin('marac_allocation as a', (join) => join.onRef('a.referral_id', '=', 'r.id').on('a.superseded_at', 'is', null))
    .select(['r.id', 'r.referred_on', 'r.high_priority', 'r.repeat', 'r.referral', 'o.name as organisation', 'r.children_count', 'r.idva_contacted_on'])
    .where('r.area_code', '=', areaCode).where('a.referral_id', 'is', null)
    .orderBy('r.referred_at').orderBy('r.id').execute()
  return rows as unknown as WaitingRow[]
}

const nameOf = (referral: Referral) => `${referral.victim.firstName} ${referral.victim.lastName}`
const toWaiting = (row: WaitingRow): WaitingReferral => ({ id: row.id, referredOn: row.referred_on, highPriority: row.high_priority })

/** What the coordinator's page shows: the queue, the next meetings, the alert, waits over target and the trend. */
export async function queueView(db: Db, areaCode: string, today = todayInLondon()): Promise<QueueView | undefined> {
  const area = await findArea(db, areaCode)
  if (!area) return undefined
  const meetings = await upcoming(db, area, today)
  const waiting = await waitingReferrals(db, area.code)
  const result: AllocationOutcome = allocate(waiting.map(toWaiting), meetings)
  if (!result.ok) throw new Error(`The queue of ${area.code} could not be allocated: ${JSON.stringify(result.errors)}`)
  const outcome = result
  const proposed = new Map(outcome.placements.map((p) => [p.referralId, p.meeting]))

  const allocated = await db.selectFrom('marac_allocation as a').innerJoin('marac_meeting as m', 'm.id', 'a.meeting_id').innerJoin('marac_referral as r', 'r.id', 'a.referral_id')
    .select(['r.id', 'r.referral', 'r.referred_on', 'r.high_priority', 'm.meets_on', 'a.placed_by', 'a.move_reason', 'a.waiting_days'])
    .where('m.area_code', '=', area.code).where('m.meets_on', '>=', addDays(today, -183)).orderBy('m.meets_on').orderBy('a.allocated_at').execute()

  const meetingRows: MeetingRow[] = meetings.map((meeting) => {
    const load = outcome.meetings.find((l) => l.date === meeting.date)!
    return {
      ...(meeting.id ? { id: meeting.id } : {}), date: meeting.date, capacity: meeting.capacity, booked: meeting.booked ?? 0,
      spare: load.spare, overCapacity: load.overCapacity, proposed: load.allocated.length,
      cases: allocated.filter((a) => a.meets_on === meeting.date).map((a) => ({
        id: a.id, victimName: nameOf(a.referral as unknown as Referral), referredOn: a.referred_on, waitingDays: a.waiting_days,
        placedBy: a.placed_by, reason: a.move_reason, highPriority: a.high_priority
      }))
    }
  })

  const active: Array<{ id: string, referredOn: string, hearingOn?: string, victimName: string }> = [
    ...waiting.map((w) => ({ id: w.id, referredOn: w.referred_on, victimName: nameOf(w.referral) })),
    ...allocated.filter((a) => a.meets_on >= today).map((a) => ({ id: a.id, referredOn: a.referred_on, hearingOn: a.meets_on, victimName: nameOf(a.referral as unknown as Referral) }))
  ]
  const overTarget = overTargetWait(active, today, area.targetWaitDays).map((entry) => {
    const found = active.find((a) => a.id === entry.id)!
    return { ...entry, victimName: found.victimName, ...(found.hearingOn ? { hearingOn: found.hearingOn } : {}) }
  })

  // the trend: cases heard in each of the last six months, and how long they waited
  const trend: TrendRow[] = []
  for (let back = 5; back >= 0; back--) {
    const first = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - back, 1))
    const month = first.toISOString().slice(0, 7)
    const heard = allocated.filter((a) => a.meets_on.startsWith(month) && a.meets_on <= today)
    const waits = heard.map((a) => a.waiting_days)
    trend.push({
      month, cases: heard.length,
      averageWait: waits.length ? Math.round(waits.reduce((s, w) => s + w, 0) / waits.length) : 0,
      longestWait: waits.length ? Math.max(...waits) : 0,
      overTarget: waits.filter((w) => w > area.targetWaitDays).length
    })
  }

  return {
    area, today,
    waiting: waiting.map((w) => ({
      id: w.id, referredOn: w.referred_on, highPriority: w.high_priority, repeat: w.repeat, victimName: nameOf(w.referral), referringOrganisation: w.organisation,
      children: w.children_count, waitingDays: waitingDays(w.referred_on, today), ...(proposed.has(w.id) ? { proposedMeeting: proposed.get(w.id)! } : {}),
      idvaContact: timeliness(idvaContactDue(w.referred_on), w.idva_contacted_on ?? undefined, today)
    })),
    meetings: meetingRows,
    alert: queueAlert(outcome, ALERT_MEETINGS),
    overTarget,
    trend
  }
}

async function meetingId(db: Db, area: Area, meeting: Meeting & { id?: string }): Promise<string> {
  if (meeting.id) return meeting.id
  await db.insertInto('marac_meeting').values({ area_code: area.code, meets_on: meeting.date, capacity: meeting.capacity }).onConflict((oc) => oc.columns(['area_code', 'meets_on']).doNothing()).execute()
  return (await db.selectFrom('marac_meeting').select('id').where('area_code', '=', area.code).where('meets_on', '=', meeting.date).executeTakeFirstOrThrow()).id
}

export type AllocateResult = { ok: true, allocated: number, unallocated: number } | { ok: false, message: string }

/** Allocates the area's waiting referrals to its next meetings with room (oldest first, high priority first). */
export async function allocateQueue(db: Db, input: { areaCode: string, actor: Actor, origin?: Origin, today?: string }): Promise<AllocateResult> {
  const today = input.today ?? todayInLondon()
  return await db.transaction().execute(async (trx): Promise<AllocateResult> => {
    await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx)
    const area = await findArea(trx, input.areaCode)
    if (!area) return { ok: false, message: `There is no MARAC area ${input.areaCode}` }
    const meetings = await upcoming(trx, area, today)
    const waiting = await waitingReferrals(trx, area.code)
    const outcome = allocate(waiting.map(toWaiting), meetings)
    if (!outcome.ok) return { ok: false, message: outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ') }
    const ids = new Map<string, string>()
    for (const placement of outcome.placements) {
      const meeting = meetings.find((m) => m.date === placement.meeting)!
      if (!ids.has(meeting.date)) ids.set(meeting.date, await meetingId(trx, area, meeting))
      const id = ids.get(meeting.date)!
      await trx.insertInto('marac_allocation').values({ referral_id: placement.referralId, meeting_id: id, placed_by: 'queue', move_reason: null, waiting_days: placement.waitingDays, allocated_by_label: input.actor.label }).execute()
      await trx.insertInto('marac_allocation_history').values({ referral_id: placement.referralId, from_meeting_id: null, to_meeting_id: id, placed_by: 'queue', reason: null, by_label: input.actor.label }).execute()
    }
    await appendAudit(trx, {
      actor: input.actor, action: 'marac-queue-allocate', recordType: 'marac-area', recordId: area.code, ...input.origin,
      details: { today, allocated: outcome.placements.map((p) => ({ referralId: p.referralId, meeting: p.meeting, waitingDays: p.waitingDays })), unallocated: outcome.unallocated }
    })
    return { ok: true, allocated: outcome.placements.length, unallocated: outcome.unallocated.length }
  })
}

export type MoveResult = { ok: true, meeting: string, overCapacity: boolean } | { ok: false, errors: FieldError[] }

/** The coordinator moves a case (waiting or allocated to a meeting still to come) to one of the next meetings, with a reason. */
export async function moveCase(db: Db, input: { referralId: string, meeting: string, reason: string, actor: Actor, origin?: Origin, today?: string }): Promise<MoveResult> {
  const today = input.today ?? todayInLondon()
  return await db.transaction().execute(async (trx): Promise<MoveResult> => {
    await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx)
    const referral = await trx.selectFrom('marac_referral as r').leftJoin('marac_allocation as a', (join) => join.onRef('a.referral_id', '=', 'r.id').on('a.superseded_at', 'is', null)).leftJoin('marac_meeting as m', 'm.id', 'a.meeting_id')
      .select(['r.id', 'r.area_code', 'r.referred_on', 'r.high_priority', 'a.meeting_id', 'm.meets_on']).where('r.id', '=', input.referralId).executeTakeFirst()
    if (!referral) return { ok: false, errors: [{ field: 'referralId', message: 'is not a MARAC referral' }] }
    if (referral.meets_on && referral.meets_on < today) return { ok: false, errors: [{ field: 'referralId', message: `was heard on ${referral.meets_on}: a heard case cannot be moved` }] }
    const area = (await findArea(trx, referral.area_code))!
    // the meetings as they stand without this case
    const meetings = (await upcoming(trx, area, today)).map((m) => (m.date === referral.meets_on ? { ...m, booked: (m.booked ?? 1) - 1 } : m))
    const outcome = allocate([{ id: referral.id, referredOn: referral.referred_on, highPriority: referral.high_priority }], meetings, [{ referralId: referral.id, meeting: input.meeting, reason: input.reason }])
    if (!outcome.ok) {
      return { ok: false, errors: outcome.errors.map((e) => ({ field: e.field.replace(/^moves\[0\]\./, ''), message: e.field.endsWith('.meeting') && /no meeting/.test(e.message) ? `${e.message}: choose one of the next ${MEETINGS_AHEAD} meetings` : e.message })) }
    }
    const placement = outcome.placements[0]!
    const target = meetings.find((m) => m.date === placement.meeting)!
    const id = await meetingId(trx, area, target)
    if (referral.meeting_id) await trx.deleteFrom('marac_allocation').where('referral_id', '=', referral.id).where('superseded_at', 'is', null).execute()
    await trx.insertInto('marac_allocation').values({ referral_id: referral.id, meeting_id: id, placed_by: 'coordinator', move_reason: placement.moveReason ?? input.reason.trim(), waiting_days: placement.waitingDays, allocated_by_label: input.actor.label }).execute()
    await trx.insertInto('marac_allocation_history').values({ referral_id: referral.id, from_meeting_id: referral.meeting_id ?? null, to_meeting_id: id, placed_by: 'coordinator', reason: input.reason.trim(), by_label: input.actor.label }).execute()
    const load = outcome.meetings.find((l) => l.date === placement.meeting)!
    await appendAudit(trx, {
      actor: input.actor, action: 'marac-case-move', recordType: 'marac-referral', recordId: referral.id, ...input.origin,
      details: { from: referral.meets_on ?? null, to: placement.meeting, reason: input.reason.trim(), overCapacity: load.overCapacity }
    })
    return { ok: true, meeting: placement.meeting, overCapacity: load.overCapacity }
  })
}

// ---- the quarterly return

/** Every case heard at one of an area's meetings on or before `today` (counted in the area that heard it, even if transferred since), as the return counts it. */
export async function returnCases(db: Db, areaCode: string, today = todayInLondon()): Promise<ReturnCase[]> {
  const rows = await db.selectFrom('marac_allocation as a').innerJoin('marac_meeting as m', 'm.id', 'a.meeting_id').innerJoin('marac_referral as r', 'r.id', 'a.referral_id')
    .innerJoin('organisation as o', 'o.id', 'r.referring_organisation_id')
    .select(['r.id', 'm.area_code', 'm.meets_on', 'r.referred_on', 'r.repeat', 'o.type', 'r.children_in_household', 'r.referral'])
    .where('m.area_code', '=', areaCode).where('m.meets_on', '<=', today).execute()
  return rows.map((row) => {
    const referral = row.referral as unknown as Referral
    const d = referral.victim.diversity
    const known = <T>(value: string, yes: T): T | undefined => (value === 'not-known' ? undefined : yes)
    return {
      referralId: row.id, areaCode: row.area_code, heardOn: row.meets_on, referredOn: row.referred_on, repeat: row.repeat,
      referringAgency: ORGANISATION_TYPES[row.type as OrganisationType] ?? row.type,
      childrenInHousehold: row.children_in_household,
      victim: {
        dateOfBirth: referral.victim.dateOfBirth,
        male: known(d.gender, d.gender === 'male'), bame: known(d.ethnicity, BAME_ETHNICITIES.includes(d.ethnicity)),
        lgbt: known(d.lgbt, d.lgbt === 'yes'), disabled: known(d.disabled, d.disabled === 'yes')
      },
      perpetratorDatesOfBirth: referral.perpetrators.map((p) => p.dateOfBirth)
    }
  })
}

/** The quarterly return of an area (ReturnInputError for a quarter written wrongly). */
export async function maracReturn(db: Db, areaCode: string, quarter: string, today = todayInLondon()): Promise<MaracReturn | undefined> {
  const parsed = parseQuarter(quarter)
  const area = await findArea(db, areaCode)
  if (!area) return undefined
  return quarterlyReturn({ areaCode: area.code, quarter: parsed, cases: await returnCases(db, area.code, today), adultWomen: area.adultWomen })
}
