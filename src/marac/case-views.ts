// Who has looked at a victim's case: a page that shows MARAC cases (the coordinator's queue, a meeting's
// agenda, its minutes) writes one entry for the page, naming the referrals shown (details.shown), and one
// 'marac-case-view' entry per referral shown (record type 'marac-case', record id the referral's id), so
// the audit search by record id answers the question for one case. All in one transaction.
import type { Db } from '../platform/db/database.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { appendAudit } from '../platform/audit/audit.ts'

export const CASE_RECORD_TYPE = 'marac-case'
export const CASE_VIEW_ACTION = 'marac-case-view'

export interface PageView {
  actor: Actor
  origin?: { ip?: string, requestId?: string }
  /** the page's own entry: its action, record and details */
  action: string
  recordType: string
  recordId: string
  details?: Record<string, unknown>
  /** where the cases were shown, kept on each case's entry (e.g. { page: 'agenda', meetingId }) */
  shownOn: Record<string, unknown>
}

/** Audits a page that shows these referrals (duplicates are named once). */
export async function auditCasesShown(db: Db, view: PageView, referralIds: readonly string[]): Promise<void> {
  const shown = [...new Set(referralIds)]
  await db.transaction().execute(async (trx) => {
    await appendAudit(trx, { actor: view.actor, action: view.action, recordType: view.recordType, recordId: view.recordId, ...view.origin, details: { ...view.details, shown } })
    for (const id of shown) {
      await appendAudit(trx, { actor: view.actor, action: CASE_VIEW_ACTION, recordType: CASE_RECORD_TYPE, recordId: id, ...view.origin, details: view.shownOn })
    }
  })
}
