// The auditor's search: "who has looked at this child?", "what did this person do?".
import type { RouteRegistrar } from '../http/server.ts'
import { actorOfRequest, originOf } from '../http/server.ts'
import { FormErrors, pageNumber, pagination } from '../http/forms.ts'
import { appendAudit, searchAudit } from './audit.ts'
import { isIsoDate } from '../time/dates.ts'
import { addDays, londonInstant } from '../time/london-time.ts'


export const auditRoutes: RouteRegistrar = (app, services) => {
  app.get('/audit', { config: { access: { permission: 'audit-trail:search' } } }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>
    const filters = {
      recordType: query.recordType?.trim() || undefined,
      recordId: query.recordId?.trim() || undefined,
      actor: query.actor?.trim() || undefined,
      action: query.action?.trim() || undefined,
      from: query.from?.trim() || undefined,
      to: query.to?.trim() || undefined
    }
    const errors = new FormErrors()
    if (filters.from && !isIsoDate(filters.from)) errors.add('from', 'Enter the "from" date as YYYY-MM-DD, like 2026-11-01')
    if (filters.to && !isIsoDate(filters.to)) errors.add('to', 'Enter the "to" date as YYYY-MM-DD, like 2026-11-30')
    if (filters.recordId && !filters.recordType) errors.add('recordType', 'Enter the record type, like child or user, to search by record reference')
    const searched = Object.values(filters).some(Boolean)
    if (errors.any || !searched) {
      return reply.code(errors.any ? 400 : 200).view('platform/audit/views/search.njk', { title: 'Search the audit trail', width: 'full', filters, errors: errors.byField, errorList: errors.summary })
    }
    const page = pageNumber(query)
    // whole UK days: from the start of the "from" day to the end of the "to" day, London time
    const from = filters.from ? new Date(londonInstant(filters.from, 0)) : undefined
    const to = filters.to ? new Date(londonInstant(addDays(filters.to, 1), 0)) : undefined
    const result = await searchAudit(services.db, { ...filters, from, to }, page)
    await appendAudit(services.db, { actor: actorOfRequest(request), action: 'audit-search', ...originOf(request), details: { filters, page, results: result.total } })
    return reply.view('platform/audit/views/search.njk', {
      title: 'Search the audit trail', width: 'full', filters, result,
      pagination: pagination('/audit', filters, page, result.pageSize, result.total)
    })
  })
}
