// Settings' part in Operation Encompass: sign-up, and who receives notifications. The council's
// Encompass team sees every setting; a school's own administrator sees only their setting.
import type { FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, originOf, signedInSession } from '../platform/http/server.ts'
import { FormErrors, list, pageNumber, pagination, text } from '../platform/http/forms.ts'
import { organisationLimit } from '../organisations/organisations.ts'
import { changeSetting, settingContacts, settingsPage } from './setting-contacts.ts'

const access = { permission: 'encompass-setting:manage' } as const
const urnParams = { params: { type: 'object', properties: { urn: { type: 'string', pattern: '^[0-9]{6}$' } }, required: ['urn'] } } as const

function limitOf(request: FastifyRequest): string | undefined {
  const { user } = signedInSession(request)
  return organisationLimit(user, user.grants.get(access.permission))
}

export const settingRoutes: RouteRegistrar = (app, services) => {
  app.get('/encompass/settings', { config: { access } }, async (request, reply) => {
    const page = pageNumber(request.query)
    const notSignedUpOnly = text(request.query, 'show') === 'not-signed-up'
    const limitTo = limitOf(request)
    const result = await settingsPage(services.db, { limitTo, notSignedUpOnly }, page)
    return reply.view('encompass/views/settings/settings.njk', {
      title: 'Settings in Operation Encompass', width: 'full', ...result, notSignedUpOnly, partnership: !limitTo,
      changed: text(request.query, 'changed'),
      pagination: pagination('/encompass/settings', notSignedUpOnly ? { show: 'not-signed-up' } : {}, page, 25, result.total)
    })
  })

  const found = async (request: FastifyRequest) => {
    const { urn } = request.params as { urn: string }
    const current = await settingContacts(services.db, urn)
    const limitTo = limitOf(request)
    // outside the administrator's own setting: as if it did not exist
    if (!current || (limitTo && current.setting.organisation_id !== limitTo)) return undefined
    return current
  }

  app.get('/encompass/settings/:urn', { schema: urnParams, config: { access } }, async (request, reply) => {
    const current = await found(request)
    if (!current) return reply.callNotFound()
    return reply.view('encompass/views/settings/setting.njk', {
      title: `${current.setting.name}: Operation Encompass`, ...current,
      form: { signedUp: current.setting.encompass_signed_up ? 'yes' : 'no', lead: current.leadUserId ?? '', deputies: current.deputyUserIds }
    })
  })

  app.post('/encompass/settings/:urn', { schema: urnParams, config: { access } }, async (request, reply) => {
    const current = await found(request)
    if (!current) return reply.callNotFound()
    const form = { signedUp: text(request.body, 'signedUp'), lead: text(request.body, 'lead'), deputies: list(request.body, 'deputies') }
    const errors = new FormErrors()
    if (form.signedUp !== 'yes' && form.signedUp !== 'no') errors.add('signedUp', 'Select whether the setting is signed up to Operation Encompass')
    if (!errors.any) {
      const result = await changeSetting(services.db, current.setting.urn, { signedUp: form.signedUp === 'yes', leadUserId: form.lead || undefined, deputyUserIds: form.deputies }, actorOfRequest(request), originOf(request))
      if (!result) return reply.callNotFound()
      if (result.ok) return reply.redirect(`/encompass/settings?changed=${current.setting.urn}`, 303)
      for (const error of result.errors) errors.add(error.field, error.message)
    }
    return reply.code(400).view('encompass/views/settings/setting.njk', {
      title: `${current.setting.name}: Operation Encompass`, ...current, form, errors: errors.byField, errorList: errors.summary
    })
  })
}
