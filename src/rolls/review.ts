// The review queue: children Harbour could not place automatically, for a person to decide. Each
// decision is audited and kept as labels (each candidate looked at, and whether it was the child) for
// the next calibration of the linkage model.
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { MatchResult } from '../linkage/match.ts'
import type { RollPupil } from './roll-matcher.ts'

/** A child's details as someone wrote them down: a police officer, a school's roll. */
export interface ReportedChild {
  firstName: string
  middleNames: string
  lastName: string
  dateOfBirth: string
  gender: string
  address: string
  postcode: string
}

export interface StoredCandidate {
  pupilId: string
  weight: number
  probability: number
  vector: number[]
}

export type Decision = { kind: 'accept', pupilId: string } | { kind: 'reject' } | { kind: 'not-on-roll' }

export class ReviewDecisionError extends Error {}

/** Puts a child in the queue; the same (source, reference) again changes nothing. Returns the item's id. */
export async function queueForReview(db: Db, source: string, sourceRef: string, child: ReportedChild, result: MatchResult & { pupils: Array<RollPupil | undefined> }): Promise<string> {
  const candidates: StoredCandidate[] = result.candidates.flatMap((candidate, i) => {
    const pupil = result.pupils[i]
    return pupil ? [{ pupilId: pupil.id, weight: Number(candidate.weight.toFixed(3)), probability: Number(candidate.probability.toFixed(5)), vector: Array.from(candidate.vector) }] : []
  })
  await db.insertInto('match_review').values({
    source, source_ref: sourceRef, child: JSON.stringify(child), candidates: JSON.stringify(candidates), guards: result.guards,
    decided_pupil_id: null, decided_by_user_id: null, decision_note: null, labels: null
  }).onConflict((oc) => oc.columns(['source', 'source_ref']).doNothing()).execute()
  const row = await db.selectFrom('match_review').select('id').where('source', '=', source).where('source_ref', '=', sourceRef).executeTakeFirstOrThrow()
  return row.id
}

export async function openReviews(db: Db, page: number, pageSize = 25) {
  const query = db.selectFrom('match_review').where('status', '=', 'open')
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const rows = await query.select(['id', 'source', 'source_ref', 'child', 'candidates', 'guards', 'created_at'])
    .orderBy('created_at').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute()
  return { rows, total: Number(total) }
}

export async function reviewItem(db: Db, id: string) {
  const item = await db.selectFrom('match_review').selectAll().where('id', '=', id).executeTakeFirst()
  if (!item) return undefined
  const candidates = item.candidates as unknown as StoredCandidate[]
  const ids = candidates.map((c) => c.pupilId)
  const pupils = ids.length === 0 ? [] : await db.selectFrom('pupil as p')
    .leftJoin('organisation as o', 'o.urn', 'p.urn')
    .select(['p.id', 'p.pupil_ref', 'p.upn', 'p.urn', 'p.first_name', 'p.middle_names', 'p.last_name', 'p.date_of_birth', 'p.gender', 'p.address', 'p.postcode', 'p.left_on', 'o.name as setting_name'])
    .where('p.id', 'in', ids).execute()
  const decidedBy = item.decided_by_user_id
    ? await db.selectFrom('app_user').select(['display_name', 'email']).where('id', '=', item.decided_by_user_id).executeTakeFirst()
    : undefined
  return { item, candidates: candidates.map((c) => ({ ...c, pupil: pupils.find((p) => p.id === c.pupilId) })), decidedBy }
}

/** Records a decision once (and whatever follows from it, through afterDecision). A second decision on the same child (a double click, a colleague) is refused. */
export async function decideReview(db: Db, id: string, decision: Decision, note: string, actor: Actor, origin: { ip?: string, requestId?: string }, afterDecision?: (trx: Db, decision: Decision) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const item = await trx.selectFrom('match_review').select(['status', 'candidates']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!item) throw new ReviewDecisionError('There is no such child in the review queue')
    if (item.status === 'withdrawn') throw new ReviewDecisionError('The police amended this incident and the child was routed again: there is nothing to decide here')
    if (item.status !== 'open') throw new ReviewDecisionError('Someone has already decided this child')
    const candidates = item.candidates as unknown as StoredCandidate[]
    if (decision.kind === 'accept' && !candidates.some((c) => c.pupilId === decision.pupilId)) throw new ReviewDecisionError('Choose one of the pupils shown')
    const labels = candidates.map((c) => ({ pupilId: c.pupilId, weight: c.weight, vector: c.vector, match: decision.kind === 'accept' && c.pupilId === decision.pupilId }))
    await trx.updateTable('match_review').set({
      status: decision.kind === 'accept' ? 'matched' : decision.kind === 'reject' ? 'rejected' : 'not-on-roll',
      decided_pupil_id: decision.kind === 'accept' ? decision.pupilId : null,
      decided_by_user_id: actor.userId ?? null,
      decided_at: new Date(),
      decision_note: note || null,
      labels: JSON.stringify(labels)
    }).where('id', '=', id).execute()
    await appendAudit(trx, {
      actor, action: 'match-review-decide', recordType: 'match-review', recordId: id, ...origin,
      details: { decision: decision.kind, ...(decision.kind === 'accept' ? { pupilId: decision.pupilId } : {}) }
    })
    // what the decision sets going (e.g. the child's notification), in the same transaction
    if (afterDecision) await afterDecision(trx, decision)
  })
}

/** The decisions so far, as labelled examples for calibrating the linkage model. */
export async function reviewLabels(db: Db): Promise<Array<{ weight: number, match: boolean }>> {
  const rows = await db.selectFrom('match_review').select('labels').where('status', '!=', 'open').execute()
  return rows.flatMap((row) => (row.labels ?? []).map((label) => ({ weight: Number(label.weight), match: label.match === true })))
}
