// A setting's inbox (its Designated Safeguarding Lead and deputies; the council's Encompass team for
// children routed to the council): open a notification (audited), acknowledge it, record what the school
// did. And the same for a school's own system through the API, with the setting's key.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, apiClient, originOf, signedInSession } from '../platform/http/server.ts'
import { FormErrors, pageNumber, pagination, text, uuidParams } from '../platform/http/forms.ts'
import { DEADLINE_RULES } from './school-days.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { PARENT_CONTACT, SUPPORT } from './response.ts'
import type { FieldError } from '../platform/validation.ts'

const DELIVERY_REASONS = {
  'notify': 'The notification',
  'no-lead': 'The setting could not receive it, so the council was told',
  'escalate-deputies': 'Not opened in time: the deputies were told',
  'escalate-council': 'Not opened in time: the council was told'
}

const view = { permission: 'encompass-notification:view' } as const
const change = { permission: 'encompass-notification:change' } as const

export const notificationRoutes: RouteRegistrar = (app, services) => {
  const notifications = services.notifications
  const deadlineRule = DEADLINE_RULES[services.config.encompassDeadlineRule]

  app.get('/notifications', { config: { access: view } }, async (request, reply) => {
    const { user } = signedInSession(request)
    const page = pageNumber(request.query)
    const inbox = await notifications.inbox(user.organisationId, page)
    // the list names children: it is a view of each one shown
    await appendAudit(services.db, {
      actor: actorOfRequest(request), action: 'encompass-notification-list', recordType: 'encompass-notification', ...originOf(request),
      details: { page, shown: inbox.rows.map((row) => row.id) }
    })
    const now = Date.now()
    return reply.view('encompass/views/notifications/inbox.njk', {
      title: 'Operation Encompass notifications', width: 'full', organisationName: user.organisationName, ...inbox,
      rows: inbox.rows.map((row) => ({ ...row, overdue: !row.acknowledged_at && row.deadline.getTime() < now })),
      pagination: pagination('/notifications', {}, page, 25, inbox.total)
    })
  })

  const showNotification = async (request: FastifyRequest, reply: FastifyReply, status: number, errors?: FormErrors, values?: Record<string, unknown>) => {
    const { id } = request.params as { id: string }
    const { user } = signedInSession(request)
    const shown = await notifications.open(user.organisationId, id, actorOfRequest(request), originOf(request))
    // another setting's notification, or none: the same answer either way
    if (!shown) return reply.callNotFound()
    if (shown.withdrawn) {
      return reply.code(status === 200 ? 200 : 409).view('encompass/views/notifications/withdrawn.njk', { title: 'Notification withdrawn', notification: shown.notification })
    }
    const response = shown.response
    const form = values ?? (response
      ? { support: response.support, welfareCheck: response.welfare_check ? 'yes' : 'no', parentContact: response.parent_contact, parentContactReason: response.parent_contact_reason, mashReferral: response.mash_referral ? 'yes' : 'no', staffTold: response.staff_told }
      : {})
    return reply.code(status).view('encompass/views/notifications/notification.njk', {
      title: 'Operation Encompass notification', ...shown, form, deadlineRule, deliveries: await notifications.deliveries(id), deliveryReasons: DELIVERY_REASONS,
      supportOptions: Object.entries(SUPPORT).map(([value, label]) => ({ value, text: label, checked: form.support === value })),
      parentOptions: Object.entries(PARENT_CONTACT).map(([value, label]) => ({ value, text: label, checked: form.parentContact === value })),
      acknowledged: (request.query as Record<string, string> | undefined)?.acknowledged === '1',
      recorded: (request.query as Record<string, string> | undefined)?.recorded === '1',
      errors: errors?.byField ?? {}, errorList: errors?.summary ?? []
    })
  }

  app.get('/notifications/:id', { schema: uuidParams, config: { access: view } }, (request, reply) => showNotification(request, reply, 200))

  app.post('/notifications/:id/acknowledgement', { schema: uuidParams, config: { access: change } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const { user } = signedInSession(request)
    const done = await notifications.acknowledge(user.organisationId, id, actorOfRequest(request), originOf(request))
    if (!done) return reply.callNotFound()
    return reply.redirect(`/notifications/${id}?acknowledged=1`, 303)
  })

  app.post('/notifications/:id/response', { schema: uuidParams, config: { access: change } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const { user } = signedInSession(request)
    const values = Object.fromEntries(['support', 'welfareCheck', 'parentContact', 'parentContactReason', 'mashReferral', 'staffTold'].map((name) => [name, text(request.body, name)]))
    const result = await notifications.recordResponse(user.organisationId, id, values, actorOfRequest(request), originOf(request))
    if (!result) return reply.callNotFound()
    if (result.ok) return reply.redirect(`/notifications/${id}?recorded=1`, 303)
    const errors = new FormErrors()
    for (const error of result.errors) errors.add(error.field, error.message)
    return await showNotification(request, reply, 400, errors, values)
  })

  // A school's system, with its setting's key: unacknowledged first.
  app.get('/api/v1/notifications', { config: { access: { api: 'encompass-notification:view' } } }, async (request) => {
    const client = apiClient(request)
    return { notifications: await notifications.forSchoolSystem(client.organisationId, actorOfRequest(request), originOf(request)) }
  })

  app.post('/api/v1/notifications/:id/acknowledgement', { schema: uuidParams, config: { access: { api: 'encompass-notification:change' } } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const client = apiClient(request)
    const done = await notifications.acknowledge(client.organisationId, id, actorOfRequest(request), originOf(request))
    if (!done) return reply.code(404).send({ error: 'not-found', message: 'There is no notification with this id for your setting' })
    // a retry gets the same answer: the first acknowledgement stands
    return { id, acknowledgedAt: done.acknowledgedAt.toISOString() }
  })

  app.post('/api/v1/notifications/:id/response', { schema: uuidParams, config: { access: { api: 'encompass-notification:change' } } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const client = apiClient(request)
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>
    const result = await notifications.recordResponse(client.organisationId, id, body, actorOfRequest(request), originOf(request))
    if (!result) return reply.code(404).send({ error: 'not-found', message: 'There is no notification with this id for your setting' })
    if (!result.ok) return reply.code(400).send({ error: 'invalid-response', message: 'Nothing was recorded: correct each field and send it again', errors: result.errors satisfies FieldError[] })
    return { id, recorded: true }
  })
}
