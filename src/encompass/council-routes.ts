// The council's Operation Encompass view: today's notifications by deadline status, late and
// unacknowledged ones, the review queue by age with the decisions at risk of missing their deadline,
// children routed to the council, settings not yet signed up, and how long each setting takes to
// acknowledge; each list also as a CSV file. Viewing and exporting are audited.
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, originOf } from '../platform/http/server.ts'
import { pageNumber, pagination } from '../platform/http/forms.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { DEADLINE_RULES } from './school-days.ts'
import {
  DASHBOARD_LISTS, acknowledgementTimes, councilChildren, councilDashboard, isDashboardList, lateNotifications, reviewQueue,
  settingsNotSignedUp, todaysNotifications, unacknowledgedNotifications
} from './dashboard.ts'
import type { DashboardList } from './dashboard.ts'
import { DEADLINE_STATUS_LABELS, DEADLINE_STATUS_TAGS, describeDuration, escalationLabel, londonDay } from './dashboard-rules.ts'
import { acknowledgementCsv, councilChildrenCsv, exportFileName, notificationsCsv, reviewCsv, settingsCsv } from './dashboard-export.ts'

const access = { permission: 'encompass-dashboard:view' } as const
const PAGE_SIZE = 20

/** Each list keeps its own page in the address (?late=2&review=3), so paging one leaves the others where they were. */
function pagesOf(query: unknown): Record<DashboardList, number> {
  const raw = (query ?? {}) as Record<string, string | undefined>
  return Object.fromEntries(DASHBOARD_LISTS.map((list) => [list, pageNumber({ page: raw[list] })])) as Record<DashboardList, number>
}

/** govukPagination for one list: its page in its own parameter, the other lists' pages kept, and back to the list's heading. */
function listPagination(list: DashboardList, pages: Record<DashboardList, number>, total: number) {
  const items = pagination('/encompass', {}, pages[list], PAGE_SIZE, total)
  if (!items) return undefined
  const href = (generic: string) => {
    const page = new URL(generic, 'http://harbour.invalid').searchParams.get('page') ?? '1'
    const params = new URLSearchParams()
    for (const other of DASHBOARD_LISTS) {
      const value = other === list ? Number(page) : pages[other]
      if (value > 1) params.set(other, String(value))
    }
    const search = params.toString()
    return `/encompass${search ? `?${search}` : ''}#${list}`
  }
  return {
    previous: items.previous ? { href: href(items.previous.href) } : undefined,
    next: items.next ? { href: href(items.next.href) } : undefined,
    items: items.items.map((item) => ({ ...item, href: href(item.href) })),
    landmarkLabel: `Pages of this list`
  }
}

const withStatus = <T extends { status: keyof typeof DEADLINE_STATUS_LABELS, escalationLevel: number }>(line: T) => ({
  ...line, statusLabel: DEADLINE_STATUS_LABELS[line.status], statusTag: DEADLINE_STATUS_TAGS[line.status], escalation: escalationLabel(line.escalationLevel)
})

export const councilRoutes: RouteRegistrar = (app, services) => {
  const atRiskMinutes = services.config.encompassReviewAtRiskMinutes
  const rule = services.config.encompassDeadlineRule

  app.get('/encompass', { config: { access } }, async (request, reply) => {
    const now = new Date()
    const pages = pagesOf(request.query)
    const view = await councilDashboard(services.db, { now, atRiskMinutes, pages, pageSize: PAGE_SIZE })
    await appendAudit(services.db, {
      actor: actorOfRequest(request), action: 'encompass-dashboard-view', recordType: 'encompass-dashboard', ...originOf(request),
      details: { pages, today: view.today.total, late: view.late.total, unacknowledged: view.unacknowledged.total, review: view.review.total, atRisk: view.review.atRisk }
    })
    const paginationOf = Object.fromEntries(DASHBOARD_LISTS.map((list) => [list, listPagination(list, pages, view[list].total)]))
    return reply.view('encompass/views/council/dashboard.njk', {
      title: 'Operation Encompass', width: 'full',
      rule: { ...DEADLINE_RULES[rule], name: rule }, statutoryRule: DEADLINE_RULES.statutory,
      atRiskWindow: describeDuration(atRiskMinutes),
      today: { ...view.today, rows: view.today.rows.map(withStatus), dateText: new Date(`${view.today.date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) },
      late: { ...view.late, rows: view.late.rows.map(withStatus) },
      unacknowledged: { ...view.unacknowledged, rows: view.unacknowledged.rows.map(withStatus) },
      council: { ...view.council, rows: view.council.rows.map(withStatus) },
      review: { ...view.review, rows: view.review.rows.map((row) => ({ ...row, waiting: describeDuration(row.waitingMinutes) })) },
      reviewsAtRisk: view.reviewsAtRisk,
      settings: { ...view.settings, percentText: view.settings.percentReady === undefined ? 'None' : `${view.settings.percentReady}%` },
      acknowledgement: {
        ...view.acknowledgement,
        overallMedian: view.acknowledgement.overallMedianMinutes === null ? undefined : describeDuration(view.acknowledgement.overallMedianMinutes),
        rows: view.acknowledgement.rows.map((row) => ({ ...row, median: describeDuration(row.medianMinutes) }))
      },
      pagination: paginationOf
    })
  })

  app.get('/encompass/export/:list.csv', { config: { access } }, async (request, reply) => {
    const { list } = request.params as { list: string }
    if (!isDashboardList(list)) return reply.callNotFound()
    const now = new Date()
    const exporters: Record<DashboardList, () => Promise<{ csv: string, rows: number }>> = {
      today: async () => { const r = await todaysNotifications(services.db, now, 'all'); return { csv: notificationsCsv(r.rows), rows: r.rows.length } },
      late: async () => { const r = await lateNotifications(services.db, now, 'all'); return { csv: notificationsCsv(r.rows), rows: r.rows.length } },
      unacknowledged: async () => { const r = await unacknowledgedNotifications(services.db, now, 'all'); return { csv: notificationsCsv(r.rows), rows: r.rows.length } },
      review: async () => { const r = await reviewQueue(services.db, now, atRiskMinutes, 'all'); return { csv: reviewCsv(r.rows), rows: r.rows.length } },
      council: async () => { const r = await councilChildren(services.db, now, 'all'); return { csv: councilChildrenCsv(r.rows), rows: r.rows.length } },
      settings: async () => { const r = await settingsNotSignedUp(services.db, 'all'); return { csv: settingsCsv(r.rows), rows: r.rows.length } },
      acknowledgement: async () => { const r = await acknowledgementTimes(services.db, 'all'); return { csv: acknowledgementCsv(r.rows), rows: r.rows.length } }
    }
    const { csv, rows } = await exporters[list]()
    await appendAudit(services.db, {
      actor: actorOfRequest(request), action: 'encompass-dashboard-export', recordType: 'encompass-dashboard', ...originOf(request),
      details: { list, rows }
    })
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${exportFileName(list, londonDay(now).date)}"`)
      .header('Cache-Control', 'no-store')
      // a byte order mark, so a spreadsheet opens it as UTF-8 (names with accents stay readable)
      .send(`\uFEFF${csv}`)
  })
}
