// MARAC meetings: the queries and service behind the attendees' and the coordinator's pages. An agency
// sees only the cases on the agenda of a meeting it attends; an observer sees nothing until they have
// confirmed the confidentiality statement; research, actions, the IDVA's contact and the minutes are
// recorded here and audited.
import type { Db } from '../platform/db/database.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { CurrentUser } from '../platform/auth/auth-service.ts'
import { grantsOf } from '../platform/access/roles.ts'
import { todayInLondon, isIsoDate } from '../platform/time/dates.ts'
import type { Referral } from './referrals.ts'
import type { FieldError } from '../platform/validation.ts'
import { ACTION_OUTCOMES, validateAction, validateResearch } from './meeting-rules.ts'
import type { ActionInput, ActionOutcome, Minutes, ResearchInput } from './meeting-rules.ts'
import { idvaContactDue, minutesDue, timeliness } from './working-days.ts'
import type { TimelinessCheck } from './working-days.ts'

type Origin = { ip?: string, requestId?: string }

export type Attendance = { kind: 'agency' } | { kind: 'observer', confirmed: boolean, attendeeId: string }

/** How a person attends a meeting: their agency is invited (and their role sees their organisation's meetings), or they observe it. */
export async function attendanceOf(db: Db, meetingId: string, user: CurrentUser): Promise<Attendance | undefined> {
  const rows = await db.selectFrom('marac_meeting_attendee').select(['id', 'kind', 'organisation_id', 'user_id', 'confidentiality_confirmed_at']).where('meeting_id', '=', meetingId).execute()
  const organisationScope = user.grants.get('marac-meeting:view') === 'organisation' || user.grants.get('marac-meeting:view') === 'partnership'
  if (organisationScope && rows.some((r) => r.kind === 'agency' && r.organisation_id === user.organisationId)) return { kind: 'agency' }
  const observer = rows.find((r) => r.kind === 'observer' && r.user_id === user.id)
  return observer ? { kind: 'observer', confirmed: observer.confidentiality_confirmed_at !== null, attendeeId: observer.id } : undefined
}

export interface MyMeeting { id: string, meetsOn: string, areaName: string, kind: 'agency' | 'observer', confirmed: boolean }

/** The meetings a person may open: their agency's (with an organisation-wide role) and those they observe. */
export async function meetingsFor(db: Db, user: CurrentUser): Promise<MyMeeting[]> {
  const organisationScope = user.grants.get('marac-meeting:view') === 'organisation' || user.grants.get('marac-meeting:view') === 'partnership'
  const rows = await db.selectFrom('marac_meeting_attendee as t').innerJoin('marac_meeting as m', 'm.id', 't.meeting_id').innerJoin('marac_area as a', 'a.code', 'm.area_code')
    .select(['m.id', 'm.meets_on', 'a.name', 't.kind', 't.confidentiality_confirmed_at'])
    .where((eb) => eb.or([
      eb.and([eb('t.kind', '=', 'observer'), eb('t.user_id', '=', user.id)]),
      ...(organisationScope ? [eb.and([eb('t.kind', '=', 'agency'), eb('t.organisation_id', '=', user.organisationId)])] : [])
    ]))
    .orderBy('m.meets_on', 'desc').execute()
  return rows.map((r) => ({ id: r.id, meetsOn: r.meets_on, areaName: r.name, kind: r.kind, confirmed: r.kind === 'agency' || r.confidentiality_confirmed_at !== null }))
}

export async function confirmConfidentiality(db: Db, input: { attendeeId: string, meetingId: string, actor: Actor, origin?: Origin }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('marac_meeting_attendee').set({ confidentiality_confirmed_at: new Date() }).where('id', '=', input.attendeeId).where('confidentiality_confirmed_at', 'is', null).execute()
    await appendAudit(trx, { actor: input.actor, action: 'marac-confidentiality-confirm', recordType: 'marac-meeting', recordId: input.meetingId, ...input.origin })
  })
}

export interface MeetingSummary { id: string, areaCode: string, areaName: string, meetsOn: string, capacity: number, minutesIssuedAt: Date | null, minutes: Minutes | null }

export async function findMeeting(db: Db, id: string): Promise<MeetingSummary | undefined> {
  const row = await db.selectFrom('marac_meeting as m').innerJoin('marac_area as a', 'a.code', 'm.area_code')
    .select(['m.id', 'm.area_code', 'a.name', 'm.meets_on', 'm.capacity', 'm.minutes_issued_at', 'm.minutes']).where('m.id', '=', id).executeTakeFirst()
  return row ? { id: row.id, areaCode: row.area_code, areaName: row.name, meetsOn: row.meets_on, capacity: row.capacity, minutesIssuedAt: row.minutes_issued_at, minutes: row.minutes as Minutes | null } : undefined
}

export interface AgendaCase {
  referralId: string
  referral: Referral
  repeat: boolean
  highPriority: boolean
  referredOn: string
  idvaContactedOn: string | null
  idva: TimelinessCheck
}

/** The cases on a meeting's agenda (and nothing else). */
export async function agendaOf(db: Db, meetingId: string, today = todayInLondon()): Promise<AgendaCase[]> {
  const rows = await db.selectFrom('marac_allocation as x').innerJoin('marac_referral as r', 'r.id', 'x.referral_id')
    .select(['r.id', 'r.referral', 'r.repeat', 'r.high_priority', 'r.referred_on', 'r.idva_contacted_on'])
    .where('x.meeting_id', '=', meetingId).orderBy('r.high_priority', 'desc').orderBy('r.referred_at').execute()
  return rows.map((r) => ({
    referralId: r.id, referral: r.referral as unknown as Referral, repeat: r.repeat, highPriority: r.high_priority, referredOn: r.referred_on,
    idvaContactedOn: r.idva_contacted_on, idva: timeliness(idvaContactDue(r.referred_on), r.idva_contacted_on ?? undefined, today)
  }))
}

export interface ResearchRow { referralId: string, organisationId: string, agency: string, victim: string, perpetrator: string, children: Array<{ child: number, text: string }>, toShare: string, recordedBy: string, recordedAt: Date }

export async function researchOf(db: Db, meetingId: string, organisationId?: string): Promise<ResearchRow[]> {
  let query = db.selectFrom('marac_research as s').innerJoin('organisation as o', 'o.id', 's.organisation_id')
    .select(['s.referral_id', 's.organisation_id', 'o.name', 's.victim', 's.perpetrator', 's.children', 's.to_share', 's.recorded_by_label', 's.recorded_at'])
    .where('s.meeting_id', '=', meetingId)
  if (organisationId) query = query.where('s.organisation_id', '=', organisationId)
  return (await query.orderBy('o.name').execute()).map((r) => ({
    referralId: r.referral_id, organisationId: r.organisation_id, agency: r.name, victim: r.victim, perpetrator: r.perpetrator, children: r.children,
    toShare: r.to_share, recordedBy: r.recorded_by_label, recordedAt: r.recorded_at
  }))
}

export type SaveResult = { ok: true } | { ok: false, errors: FieldError[] }

/** An agency records its research on a case on the agenda of a meeting it attends (again: replaces its earlier research). */
export async function recordResearch(db: Db, input: { meetingId: string, referralId: string, organisationId: string, research: ResearchInput, actor: Actor, origin?: Origin }): Promise<SaveResult | undefined> {
  const onAgenda = await db.selectFrom('marac_allocation as x').innerJoin('marac_referral as r', 'r.id', 'x.referral_id').select(['r.referral'])
    .where('x.meeting_id', '=', input.meetingId).where('x.referral_id', '=', input.referralId).executeTakeFirst()
  if (!onAgenda) return undefined
  const checked = validateResearch(input.research, (onAgenda.referral as unknown as Referral).children.length)
  if (!checked.ok) return checked
  const values = {
    victim: checked.research.victim, perpetrator: checked.research.perpetrator, to_share: checked.research.toShare,
    children: JSON.stringify(checked.research.children.map((text, child) => ({ child, text }))), recorded_by_label: input.actor.label, recorded_at: new Date()
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('marac_research').values({ meeting_id: input.meetingId, referral_id: input.referralId, organisation_id: input.organisationId, ...values })
      .onConflict((oc) => oc.columns(['meeting_id', 'referral_id', 'organisation_id']).doUpdateSet(values)).execute()
    await appendAudit(trx, { actor: input.actor, action: 'marac-research-record', recordType: 'marac-referral', recordId: input.referralId, ...input.origin, details: { meetingId: input.meetingId } })
  })
  return { ok: true }
}

export interface ActionRow { id: string, referralId: string, victimName: string, meetingId: string, meetingOn: string, organisationId: string, agency: string, owner: string, description: string, dueOn: string, status: 'open' | ActionOutcome, closedAtMeetingId: string | null }

const actionQuery = (db: Db) => db.selectFrom('marac_action as t').innerJoin('organisation as o', 'o.id', 't.organisation_id')
  .innerJoin('marac_meeting as m', 'm.id', 't.meeting_id').innerJoin('marac_referral as r', 'r.id', 't.referral_id')
  .select(['t.id', 't.referral_id', 'r.referral', 't.meeting_id', 'm.meets_on', 't.organisation_id', 'o.name', 't.owner', 't.description', 't.due_on', 't.status', 't.closed_at_meeting_id'])

const actionOf = (r: { id: string, referral_id: string, referral: unknown, meeting_id: string, meets_on: string, organisation_id: string, name: string, owner: string, description: string, due_on: string, status: ActionRow['status'], closed_at_meeting_id: string | null }): ActionRow => ({
  id: r.id, referralId: r.referral_id, victimName: `${(r.referral as Referral).victim.firstName} ${(r.referral as Referral).victim.lastName}`, meetingId: r.meeting_id, meetingOn: r.meets_on,
  organisationId: r.organisation_id, agency: r.name, owner: r.owner, description: r.description, dueOn: r.due_on, status: r.status, closedAtMeetingId: r.closed_at_meeting_id
})

/** The actions agreed at a meeting (optionally one agency's). */
export async function actionsOf(db: Db, meetingId: string, organisationId?: string): Promise<ActionRow[]> {
  let query = actionQuery(db).where('t.meeting_id', '=', meetingId)
  if (organisationId) query = query.where('t.organisation_id', '=', organisationId)
  return (await query.orderBy('t.created_at').execute()).map(actionOf)
}

/** Incomplete actions from earlier meetings (and those closed at this one): they come back until closed. */
export async function earlierActions(db: Db, meeting: MeetingSummary): Promise<ActionRow[]> {
  // the area's own earlier meetings, and (for a case transferred in) the earlier meetings of another area that heard a case on this agenda
  const agendaIds = (await db.selectFrom('marac_allocation').select('referral_id').where('meeting_id', '=', meeting.id).execute()).map((r) => r.referral_id)
  const rows = await actionQuery(db).where((eb) => eb.or([eb('m.area_code', '=', meeting.areaCode), ...(agendaIds.length > 0 ? [eb('t.referral_id', 'in', agendaIds)] : [])]))
    .where('m.meets_on', '<', meeting.meetsOn)
    .where((eb) => eb.or([eb('t.status', '=', 'open'), eb('t.closed_at_meeting_id', '=', meeting.id)])).orderBy('m.meets_on').orderBy('t.created_at').execute()
  return rows.map(actionOf)
}

export async function addAction(db: Db, input: { meeting: MeetingSummary, action: ActionInput, actor: Actor, origin?: Origin }): Promise<SaveResult> {
  const agenda = (await agendaOf(db, input.meeting.id)).map((c) => c.referralId)
  // an action is owned by one of the partnership's agencies (never a school), checked before any id reaches a query
  const organisations = (await agencies(db)).map((o) => o.id)
  const checked = validateAction(input.action, input.meeting.meetsOn, agenda, organisations)
  if (!checked.ok) return checked
  await db.transaction().execute(async (trx) => {
    const { id } = await trx.insertInto('marac_action').values({
      referral_id: checked.action.referralId, meeting_id: input.meeting.id, organisation_id: checked.action.organisationId, owner: checked.action.owner,
      description: checked.action.description, due_on: checked.action.dueOn, created_by_label: input.actor.label
    }).returning('id').executeTakeFirstOrThrow()
    await appendAudit(trx, { actor: input.actor, action: 'marac-action-add', recordType: 'marac-referral', recordId: checked.action.referralId, ...input.origin, details: { actionId: id, meetingId: input.meeting.id, dueOn: checked.action.dueOn } })
  })
  return { ok: true }
}

/** Closes an open action from an earlier meeting, at this one: done, circumstances changed, or the agency did not do it. */
export async function closeAction(db: Db, input: { meeting: MeetingSummary, actionId: string, outcome: string, actor: Actor, origin?: Origin }): Promise<SaveResult> {
  if (!Object.hasOwn(ACTION_OUTCOMES, input.outcome)) return { ok: false, errors: [{ field: 'outcome', message: 'must be done, circumstances changed or the agency did not do it' }] }
  const open = (await earlierActions(db, input.meeting)).find((a) => a.id === input.actionId && a.status === 'open')
  if (!open) return { ok: false, errors: [{ field: 'actionId', message: 'is not an open action from an earlier meeting' }] }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('marac_action').set({ status: input.outcome as ActionOutcome, closed_at: new Date(), closed_at_meeting_id: input.meeting.id, closed_by_label: input.actor.label }).where('id', '=', open.id).execute()
    await appendAudit(trx, { actor: input.actor, action: 'marac-action-close', recordType: 'marac-referral', recordId: open.referralId, ...input.origin, details: { actionId: open.id, outcome: input.outcome, meetingId: input.meeting.id } })
  })
  return { ok: true }
}

/** The partnership's agencies that can attend a MARAC or own an action (schools are represented by the council's education safeguarding team). */
export async function agencies(db: Db): Promise<Array<{ id: string, name: string }>> {
  return await db.selectFrom('organisation').select(['id', 'name']).where('type', '!=', 'education_setting').orderBy('name').execute()
}

export interface AttendeeRow { id: string, kind: 'agency' | 'observer', agency: string, person: string | null, confirmed: boolean }

export async function attendeesOf(db: Db, meetingId: string): Promise<AttendeeRow[]> {
  const rows = await db.selectFrom('marac_meeting_attendee as t').innerJoin('organisation as o', 'o.id', 't.organisation_id').leftJoin('app_user as u', 'u.id', 't.user_id')
    .select(['t.id', 't.kind', 'o.name', 'u.display_name', 't.confidentiality_confirmed_at']).where('t.meeting_id', '=', meetingId).orderBy('t.kind').orderBy('o.name').execute()
  return rows.map((r) => ({ id: r.id, kind: r.kind, agency: r.name, person: r.display_name, confirmed: r.confidentiality_confirmed_at !== null }))
}

/** Invites an agency (by organisation reference) or an observer (by email address) to a meeting. */
export async function addAttendee(db: Db, input: { meetingId: string, kind: string, who: string, actor: Actor, origin?: Origin }): Promise<SaveResult> {
  const who = input.who.trim()
  if (input.kind !== 'agency' && input.kind !== 'observer') return { ok: false, errors: [{ field: 'kind', message: 'must be an agency or an observer' }] }
  if (!who) return { ok: false, errors: [{ field: 'who', message: input.kind === 'agency' ? 'is required: the agency' : 'is required: the observer’s email address' }] }
  let values: { organisation_id: string, user_id: string | null }
  if (input.kind === 'agency') {
    // only the agencies that attend a MARAC (never a school: the council's education safeguarding team represents them)
    const organisation = (await agencies(db)).find((a) => a.id === who.toLowerCase())
    if (!organisation) return { ok: false, errors: [{ field: 'who', message: 'is not one of the partnership’s agencies' }] }
    values = { organisation_id: organisation.id, user_id: null }
  } else {
    const person = await db.selectFrom('app_user').select(['id', 'organisation_id']).where('email', '=', who.toLowerCase()).where('status', '=', 'active').executeTakeFirst()
    if (!person) return { ok: false, errors: [{ field: 'who', message: 'is not the email address of anyone with a Harbour account' }] }
    // an observer must hold a role that may see a meeting (the MARAC observer role, or another with marac-meeting:view)
    const roles = (await db.selectFrom('user_role').select('role').where('user_id', '=', person.id).execute()).map((r) => r.role)
    if (!grantsOf(roles).has('marac-meeting:view')) return { ok: false, errors: [{ field: 'who', message: 'is not someone who may observe a MARAC: ask their organisation’s administrator to give them the MARAC observer role' }] }
    values = { organisation_id: person.organisation_id, user_id: person.id }
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('marac_meeting_attendee').values({ meeting_id: input.meetingId, kind: input.kind as 'agency' | 'observer', ...values, added_by_label: input.actor.label }).onConflict((oc) => oc.doNothing()).execute()
    await appendAudit(trx, { actor: input.actor, action: 'marac-attendee-add', recordType: 'marac-meeting', recordId: input.meetingId, ...input.origin, details: { kind: input.kind, organisationId: values.organisation_id, userId: values.user_id } })
  })
  return { ok: true }
}


/** Records the date the IDVA first contacted the victim (due within 2 working days of the referral). */
export async function recordIdvaContact(db: Db, input: { referralId: string, on: string, actor: Actor, origin?: Origin, today?: string }): Promise<SaveResult> {
  const today = input.today ?? todayInLondon()
  if (!isIsoDate(input.on)) return { ok: false, errors: [{ field: 'on', message: 'must be a real date' }] }
  if (input.on > today) return { ok: false, errors: [{ field: 'on', message: 'must not be in the future' }] }
  const referral = await db.selectFrom('marac_referral').select(['id', 'referred_on']).where('id', '=', input.referralId).executeTakeFirst()
  if (!referral) return { ok: false, errors: [{ field: 'referralId', message: 'is not a MARAC referral' }] }
  if (input.on < referral.referred_on) return { ok: false, errors: [{ field: 'on', message: `must not be before the referral (${referral.referred_on})` }] }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('marac_referral').set({ idva_contacted_on: input.on }).where('id', '=', referral.id).execute()
    const check = timeliness(idvaContactDue(referral.referred_on), input.on, today)
    await appendAudit(trx, { actor: input.actor, action: 'marac-idva-contact', recordType: 'marac-referral', recordId: referral.id, ...input.origin, details: { on: input.on, status: check.status } })
  })
  return { ok: true }
}

/** The minutes' timeliness: due 3 working days after the meeting. */
export function minutesTimeliness(meeting: MeetingSummary, today = todayInLondon()): TimelinessCheck {
  return timeliness(minutesDue(meeting.meetsOn), meeting.minutesIssuedAt ?? undefined, today)
}

/** Generates the minutes from what was recorded (what each agency shares, the actions agreed, earlier actions closed) and issues them. */
export async function issueMinutes(db: Db, input: { meeting: MeetingSummary, actor: Actor, origin?: Origin, now?: Date }): Promise<SaveResult> {
  const now = input.now ?? new Date()
  if (input.meeting.meetsOn > todayInLondon(now)) return { ok: false, errors: [{ field: 'minutes', message: `can be issued once the meeting has been held (${input.meeting.meetsOn})` }] }
  if (input.meeting.minutesIssuedAt) return { ok: false, errors: [{ field: 'minutes', message: 'have already been issued' }] }
  // built in the transaction that issues them, with the meeting locked: what they say is what was recorded when they were issued
  return await db.transaction().execute(async (trx): Promise<SaveResult> => {
    const locked = await trx.selectFrom('marac_meeting').select('minutes_issued_at').where('id', '=', input.meeting.id).forUpdate().executeTakeFirst()
    if (!locked) return { ok: false, errors: [{ field: 'minutes', message: 'belong to a meeting that does not exist' }] }
    if (locked.minutes_issued_at) return { ok: false, errors: [{ field: 'minutes', message: 'have already been issued' }] }
    const agenda = await agendaOf(trx, input.meeting.id)
    const research = await researchOf(trx, input.meeting.id)
    const actions = await actionsOf(trx, input.meeting.id)
    const earlier = (await earlierActions(trx, input.meeting)).filter((a) => a.closedAtMeetingId === input.meeting.id || a.status === 'open')
    const attendees = await attendeesOf(trx, input.meeting.id)
    const minutes: Minutes = {
      areaName: input.meeting.areaName, meetingOn: input.meeting.meetsOn, issuedAt: now.toISOString(),
      agencies: attendees.filter((a) => a.kind === 'agency').map((a) => a.agency),
      cases: agenda.map((c) => ({
        victimName: `${c.referral.victim.firstName} ${c.referral.victim.lastName}`,
        perpetrators: c.referral.perpetrators.map((p) => `${p.firstName} ${p.lastName} (${p.relationshipToVictim})`),
        children: c.referral.children.map((k) => `${k.firstName} ${k.lastName} (${k.relationshipToVictim})`),
        repeat: c.repeat,
        shared: research.filter((r) => r.referralId === c.referralId && r.toShare).map((r) => ({ agency: r.agency, text: r.toShare })),
        actions: actions.filter((a) => a.referralId === c.referralId).map((a) => ({ agency: a.agency, owner: a.owner, description: a.description, dueOn: a.dueOn }))
      })),
      earlierActions: earlier.map((a) => ({ victimName: a.victimName, agency: a.agency, description: a.description, outcome: a.status === 'open' ? 'Still open' : ACTION_OUTCOMES[a.status] })),
      referralIds: [...new Set([...agenda.map((c) => c.referralId), ...earlier.map((a) => a.referralId)])]
    }
    await trx.updateTable('marac_meeting').set({ minutes: JSON.stringify(minutes), minutes_issued_at: now }).where('id', '=', input.meeting.id).where('minutes_issued_at', 'is', null).execute()
    const check = timeliness(minutesDue(input.meeting.meetsOn), now, now)
    await appendAudit(trx, { actor: input.actor, action: 'marac-minutes-issue', recordType: 'marac-meeting', recordId: input.meeting.id, ...input.origin, details: { due: check.due, status: check.status, cases: agenda.length } })
    return { ok: true }
  })
}

/** The area's meetings with stored rows, latest first (the coordinator's list). */
export async function areaMeetings(db: Db, areaCode: string): Promise<Array<{ id: string, meetsOn: string, cases: number, minutesIssuedAt: Date | null }>> {
  const rows = await db.selectFrom('marac_meeting as m').leftJoin('marac_allocation as x', 'x.meeting_id', 'm.id')
    .select(['m.id', 'm.meets_on', 'm.minutes_issued_at', (eb) => eb.fn.count<number>('x.referral_id').as('cases')])
    .where('m.area_code', '=', areaCode).groupBy(['m.id', 'm.meets_on', 'm.minutes_issued_at']).orderBy('m.meets_on', 'desc').limit(24).execute()
  return rows.map((r) => ({ id: r.id, meetsOn: r.meets_on, cases: Number(r.cases), minutesIssuedAt: r.minutes_issued_at }))
}
