// The council Encompass team's review queue: each child beside its candidates, field by field, with
// the evidence, and a decision that is audited and kept as a label.
import type { FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, originOf } from '../platform/http/server.ts'
import { FormErrors, pageNumber, pagination, text, uuidParams } from '../platform/http/forms.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { explain } from '../linkage/model.ts'
import { decideReview, openReviews, reviewItem, ReviewDecisionError } from './review.ts'
import type { Decision } from './review.ts'
import { reviewDeadlines } from '../encompass/dashboard.ts'

const access = { permission: 'match-review:change' } as const


export const reviewRoutes: RouteRegistrar = (app, services) => {
  const model = services.rollMatcher.model

  app.get('/review', { config: { access } }, async (request, reply) => {
    const page = pageNumber(request.query)
    const result = await openReviews(services.db, page)
    // a child from a police incident has a deadline: its setting must hear before the school day starts
    const deadlines = await reviewDeadlines(services.db, result.rows.map((row) => row.id), new Date(), services.config.encompassReviewAtRiskMinutes)
    await appendAudit(services.db, {
      actor: actorOfRequest(request), action: 'match-review-queue-view', recordType: 'match-review', ...originOf(request),
      details: { page, shown: result.rows.map((row) => row.id) }
    })
    return reply.view('rolls/views/review-queue.njk', {
      title: 'Children to review', width: 'full', decided: (request.query as Record<string, string>).decided === '1',
      rows: result.rows.map((row) => ({ ...row, best: (row.candidates as unknown as Array<{ probability: number }>)[0]?.probability, ...deadlines.get(row.id) })),
      total: result.total,
      pagination: pagination('/review', {}, page, 25, result.total)
    })
  })

  const showItem = async (id: string) => {
    const found = await reviewItem(services.db, id)
    if (!found) return undefined
    const child = found.item.child
    const candidates = found.candidates.map((candidate, i) => {
      const evidence = explain(model, Uint8Array.from(candidate.vector))
      const pupil = candidate.pupil
      const fields = [
        { name: 'First name', reported: child.firstName, roll: pupil?.first_name, evidence: evidence[0] },
        { name: 'Middle names', reported: child.middleNames, roll: pupil?.middle_names },
        { name: 'Surname', reported: child.lastName, roll: pupil?.last_name, evidence: evidence[1] },
        { name: 'Date of birth', reported: child.dateOfBirth, roll: pupil?.date_of_birth ?? '', evidence: evidence[2] },
        { name: 'Gender', reported: child.gender, roll: pupil?.gender, evidence: evidence[3] },
        { name: 'Postcode', reported: child.postcode, roll: pupil?.postcode, evidence: evidence[4] },
        { name: 'Address', reported: child.address, roll: pupil?.address, evidence: evidence[5] }
      ]
      return { number: i + 1, ...candidate, fields, leftOn: pupil?.left_on ?? '' }
    })
    return { ...found, candidates }
  }

  /** Showing a held-back child: one entry for the review item and one per pupil shown, so "who has looked at this pupil?" finds it. */
  const auditShown = async (request: FastifyRequest, id: string, pupilIds: string[]) => {
    await services.db.transaction().execute(async (trx) => {
      const actor = actorOfRequest(request)
      await appendAudit(trx, { actor, action: 'match-review-view', recordType: 'match-review', recordId: id, ...originOf(request), details: { pupilsShown: pupilIds } })
      for (const pupilId of pupilIds) {
        await appendAudit(trx, { actor, action: 'pupil-view', recordType: 'pupil', recordId: pupilId, ...originOf(request), details: { matchReview: id } })
      }
    })
  }

  app.get('/review/:id', { schema: uuidParams, config: { access } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const shown = await showItem(id)
    if (!shown) return reply.callNotFound()
    await auditShown(request, id, shown.candidates.map((c) => c.pupilId))
    return reply.view('rolls/views/review-item.njk', { title: 'Is this the child?', width: 'full', ...shown })
  })

  app.post('/review/:id', { schema: uuidParams, config: { access } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const choice = text(request.body, 'decision')
    const note = text(request.body, 'note')
    const errors = new FormErrors()
    let decision: Decision | undefined
    if (choice === 'reject') decision = { kind: 'reject' }
    else if (choice === 'not-on-roll') decision = { kind: 'not-on-roll' }
    else if (choice.startsWith('pupil:')) decision = { kind: 'accept', pupilId: choice.slice(6) }
    else errors.add('decision', 'Choose the pupil who is this child, or say that none of them is')
    if (note.length > 2000) errors.add('note', 'The note must be 2,000 characters or fewer')
    if (decision && !errors.any) {
      try {
        await decideReview(services.db, id, decision, note, actorOfRequest(request), originOf(request), (trx, decided) => services.incidents.reviewDecided(trx, id, decided))
        return reply.redirect('/review?decided=1', 303)
      } catch (error) {
        if (!(error instanceof ReviewDecisionError)) throw error
        errors.add('decision', error.message)
      }
    }
    const shown = await showItem(id)
    if (!shown) return reply.callNotFound()
    await auditShown(request, id, shown.candidates.map((c) => c.pupilId))
    return reply.code(400).view('rolls/views/review-item.njk', { title: 'Is this the child?', width: 'full', ...shown, note, errors: errors.byField, errorList: errors.summary })
  })
}
