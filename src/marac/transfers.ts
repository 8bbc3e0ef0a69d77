// Transfers: when a victim moves, the case goes to the receiving area's MARAC. The case keeps its history
// (the meetings that heard it, their minutes and action plans stay linked to it, so the receiving
// coordinator reads them from the case); the case waits in the receiving area's queue (a hearing not yet
// held in the old area is cancelled; one already held stays as its record, no longer current), and its
// open actions come back at the receiving area's next meeting that hears it; the IDVA's handover is
// recorded. Audited.
import { sql } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { isIsoDate, todayInLondon } from '../platform/time/dates.ts'
import type { FieldError } from '../platform/validation.ts'
import { ACTION_OUTCOMES } from './meeting-rules.ts'
import { LOCKS } from '../platform/db/locks.ts'

type Origin = { ip?: string, requestId?: string }

export interface TransferInput { toArea: string, reason: string, idvaFrom: string, idvaTo: string, handedOverOn: string }

export async function transferCase(db: Db, input: { referralId: string, transfer: TransferInput, actor: Actor, origin?: Origin, today?: string }): Promise<{ ok: true } | { ok: false, errors: FieldError[] }> {
  const today = input.today ?? todayInLondon()
  const t = { toArea: input.transfer.toArea.trim(), reason: input.transfer.reason.trim(), idvaFrom: input.transfer.idvaFrom.trim(), idvaTo: input.transfer.idvaTo.trim(), handedOverOn: input.transfer.handedOverOn.trim() }
  return await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCKS.maracCases})`.execute(trx)
    const referral = await trx.selectFrom('marac_referral').select(['id', 'area_code', 'referred_on']).where('id', '=', input.referralId).executeTakeFirst()
    if (!referral) return { ok: false, errors: [{ field: 'referralId', message: 'is not a MARAC referral' }] }
    const errors: FieldError[] = []
    const area = t.toArea ? await trx.selectFrom('marac_area').select('code').where('code', '=', t.toArea).executeTakeFirst() : undefined
    if (!area) errors.push({ field: 'toArea', message: 'must be one of the MARAC areas' })
    else if (area.code === referral.area_code) errors.push({ field: 'toArea', message: 'must be another area than the one the case is in' })
    if (!t.reason) errors.push({ field: 'reason', message: 'is required: say why the case moves (for example, the victim has moved to the area)' })
    else if (t.reason.length > 2000) errors.push({ field: 'reason', message: 'must be 2,000 characters or fewer' })
    if (!t.idvaFrom) errors.push({ field: 'idvaFrom', message: 'is required: the IDVA handing over' })
    if (!t.idvaTo) errors.push({ field: 'idvaTo', message: 'is required: the receiving IDVA' })
    if (!t.handedOverOn || !isIsoDate(t.handedOverOn)) errors.push({ field: 'handedOverOn', message: 'must be a real date' })
    else if (t.handedOverOn > today) errors.push({ field: 'handedOverOn', message: 'must not be in the future' })
    else if (t.handedOverOn < referral.referred_on) errors.push({ field: 'handedOverOn', message: `must not be before the referral (${referral.referred_on})` })
    if (errors.length > 0) return { ok: false, errors }
    // the case waits in the receiving area's queue: a hearing still to come in the old area is cancelled;
    // a hearing already held stays as the record of that hearing (its agenda, minutes, actions and the
    // old area's return) but is no longer the case's current one
    const current = await trx.selectFrom('marac_allocation as x').innerJoin('marac_meeting as m', 'm.id', 'x.meeting_id').select(['x.meeting_id', 'm.meets_on'])
      .where('x.referral_id', '=', referral.id).where('x.superseded_at', 'is', null).executeTakeFirst()
    const pending = current && current.meets_on >= today ? current : undefined
    if (pending) await trx.deleteFrom('marac_allocation').where('referral_id', '=', referral.id).where('meeting_id', '=', pending.meeting_id).execute()
    else if (current) await trx.updateTable('marac_allocation').set({ superseded_at: new Date() }).where('referral_id', '=', referral.id).where('meeting_id', '=', current.meeting_id).execute()
    await trx.updateTable('marac_referral').set({ area_code: t.toArea }).where('id', '=', referral.id).execute()
    await trx.insertInto('marac_transfer').values({
      referral_id: referral.id, from_area_code: referral.area_code, to_area_code: t.toArea, reason: t.reason, idva_from: t.idvaFrom, idva_to: t.idvaTo,
      handed_over_on: t.handedOverOn, transferred_by_label: input.actor.label
    }).execute()
    await appendAudit(trx, {
      actor: input.actor, action: 'marac-case-transfer', recordType: 'marac-referral', recordId: referral.id, ...input.origin,
      details: { from: referral.area_code, to: t.toArea, cancelledHearing: pending?.meets_on ?? null, heardOn: pending ? null : current?.meets_on ?? null, handedOverOn: t.handedOverOn }
    })
    return { ok: true }
  })
}

export interface CaseHistory {
  transfers: Array<{ from: string, to: string, reason: string, idvaFrom: string, idvaTo: string, handedOverOn: string, at: Date }>
  /** the meetings that heard the case (in any area), with their minutes */
  hearings: Array<{ meetingId: string, areaName: string, meetsOn: string, minutesIssued: boolean }>
  actions: Array<{ agency: string, owner: string, description: string, dueOn: string, status: string, meetsOn: string }>
}

/** What travels with a case: its transfers, the meetings that heard it and their minutes, and its action plans. */
export async function caseHistory(db: Db, referralId: string): Promise<CaseHistory> {
  const transfers = await db.selectFrom('marac_transfer as t').innerJoin('marac_area as f', 'f.code', 't.from_area_code').innerJoin('marac_area as a', 'a.code', 't.to_area_code')
    .select(['f.name as from', 'a.name as to', 't.reason', 't.idva_from', 't.idva_to', 't.handed_over_on', 't.transferred_at']).where('t.referral_id', '=', referralId).orderBy('t.transferred_at').execute()
  // heard: the current hearing, and every meeting the case was ever placed at that has been held
  const today = todayInLondon()
  const hearings = await db.selectFrom('marac_allocation_history as h').innerJoin('marac_meeting as m', 'm.id', 'h.to_meeting_id').innerJoin('marac_area as a', 'a.code', 'm.area_code')
    .select(['m.id', 'a.name', 'm.meets_on', 'm.minutes_issued_at']).distinct().where('h.referral_id', '=', referralId).where('m.meets_on', '<=', today).orderBy('m.meets_on').execute()
  const actions = await db.selectFrom('marac_action as x').innerJoin('organisation as o', 'o.id', 'x.organisation_id').innerJoin('marac_meeting as m', 'm.id', 'x.meeting_id')
    .select(['o.name', 'x.owner', 'x.description', 'x.due_on', 'x.status', 'm.meets_on']).where('x.referral_id', '=', referralId).orderBy('m.meets_on').orderBy('x.created_at').execute()
  return {
    transfers: transfers.map((t) => ({ from: t.from, to: t.to, reason: t.reason, idvaFrom: t.idva_from, idvaTo: t.idva_to, handedOverOn: t.handed_over_on, at: t.transferred_at })),
    hearings: hearings.map((h) => ({ meetingId: h.id, areaName: h.name, meetsOn: h.meets_on, minutesIssued: h.minutes_issued_at !== null })),
    actions: actions.map((a) => ({ agency: a.name, owner: a.owner, description: a.description, dueOn: a.due_on, status: a.status === 'open' ? 'Open' : ACTION_OUTCOMES[a.status], meetsOn: a.meets_on }))
  }
}
