// Administration: people (invite, reset access, disable) and API keys (create, revoke), within the
// administrator's scope; and the API's "who am I" for machine clients checking their key.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, apiClient, originOf, signedInSession } from '../platform/http/server.ts'
import { EMAIL_PATTERN, FormErrors, list, pageNumber, pagination, text, uuidParams } from '../platform/http/forms.ts'
import { ORGANISATION_TYPES, ROLES, isRole, roleFitsOrganisation } from '../platform/access/roles.ts'
import type { OrganisationType, Permission } from '../platform/access/roles.ts'
import { assignableRoles, organisationLimit } from './organisations.ts'


export const organisationRoutes: RouteRegistrar = (app, services) => {
  const { organisations, apiKeys } = services
  const limitFor = (request: FastifyRequest, permission: Permission) => {
    const { user } = signedInSession(request)
    const scope = user.grants.get(permission)
    return { user, scope, limitTo: organisationLimit(user, scope) }
  }

  app.get('/admin/users', { config: { access: { permission: 'user:manage' } } }, async (request, reply) => {
    const { limitTo } = limitFor(request, 'user:manage')
    const page = pageNumber(request.query)
    const result = await organisations.users(limitTo, page)
    return reply.view('organisations/views/users.njk', {
      title: 'People', width: 'full', result, roleLabels: Object.fromEntries(Object.entries(ROLES).map(([k, v]) => [k, v.label])),
      pagination: pagination('/admin/users', {}, page, 25, result.total)
    })
  })

  const inviteForm = async (request: FastifyRequest, values: Record<string, unknown> = {}) => {
    const { scope, limitTo } = limitFor(request, 'user:manage')
    return {
      title: 'Invite a person',
      organisations: (await organisations.organisations(limitTo)).map((o) => ({ value: o.id, text: o.name, selected: o.id === values.organisationId })),
      roles: assignableRoles(scope).map((role) => ({ value: role, text: ROLES[role].label, hint: { text: ROLES[role].description }, checked: (values.selectedRoles as string[] | undefined)?.includes(role) })),
      ...values
    }
  }

  app.get('/admin/users/invite', { config: { access: { permission: 'user:manage' } } }, async (request, reply) => {
    return reply.view('organisations/views/invite.njk', await inviteForm(request))
  })

  app.post('/admin/users/invite', { config: { access: { permission: 'user:manage' } } }, async (request, reply) => {
    const { scope, limitTo } = limitFor(request, 'user:manage')
    const email = text(request.body, 'email').toLowerCase()
    const displayName = text(request.body, 'displayName')
    const organisationId = text(request.body, 'organisationId')
    const roles = list(request.body, 'roles')
    const errors = new FormErrors()
    if (!displayName) errors.add('displayName', 'Enter the person’s full name')
    else if (displayName.length > 200) errors.add('displayName', 'Full name must be 200 characters or fewer')
    if (!email) errors.add('email', 'Enter the person’s work email address')
    else if (!EMAIL_PATTERN.test(email) || email.length > 254) errors.add('email', 'Enter an email address in the correct format, like name@example.org')
    else if (await organisations.emailInUse(email)) errors.add('email', 'A person with this email address already has a Harbour account')
    const allowedOrganisations = await organisations.organisations(limitTo)
    if (!organisationId) errors.add('organisationId', 'Select the person’s organisation')
    else if (!allowedOrganisations.some((o) => o.id === organisationId)) errors.add('organisationId', 'Select an organisation you administer')
    const allowedRoles: string[] = assignableRoles(scope)
    const organisation = allowedOrganisations.find((o) => o.id === organisationId)
    const misfit = organisation ? roles.filter(isRole).find((role) => !roleFitsOrganisation(role, organisation.type as OrganisationType)) : undefined
    if (roles.length === 0) errors.add('roles', 'Select at least one role')
    else if (roles.some((role) => !allowedRoles.includes(role))) errors.add('roles', 'Select only roles you are allowed to give')
    else if (misfit && organisation) errors.add('roles', `${ROLES[misfit].label} is not a role for someone at ${organisation.name} (${ORGANISATION_TYPES[organisation.type as OrganisationType].toLowerCase()})`)
    if (errors.any) {
      return reply.code(400).view('organisations/views/invite.njk', await inviteForm(request, { email, displayName, organisationId, selectedRoles: roles, errors: errors.byField, errorList: errors.summary }))
    }
    const id = await organisations.invite({ email, displayName, organisationId, roles }, actorOfRequest(request), originOf(request))
    return reply.redirect(`/admin/users/${id}?invited=1`, 303)
  })

  app.get('/admin/users/:id', { schema: uuidParams, config: { access: { permission: 'user:manage' } } }, async (request, reply) => {
    const { limitTo } = limitFor(request, 'user:manage')
    const person = await organisations.user((request.params as { id: string }).id, limitTo)
    if (!person) return reply.callNotFound()
    const query = request.query as Record<string, string | undefined>
    return reply.view('organisations/views/user.njk', {
      title: person.display_name, person, roleLabels: person.roles.map((role) => ROLES[role as keyof typeof ROLES]?.label ?? role),
      invited: query.invited === '1', reset: query.reset === '1', disabled: query.disabled === '1'
    })
  })

  const beyondRemit = (scope: Parameters<typeof assignableRoles>[0], roles: string[]) => {
    const allowed: string[] = assignableRoles(scope)
    return roles.some((role) => !allowed.includes(role))
  }
  const refuseBeyondRemit = (reply: FastifyReply) => reply.code(403).view('platform/views/error.njk', {
    title: 'You cannot change this person\'s access',
    paragraphs: ['They hold a role you cannot give, so a partnership administrator must do it.']
  })

  app.post('/admin/users/:id/reset-access', { schema: uuidParams, config: { access: { permission: 'user:manage' } } }, async (request, reply) => {
    const { scope, limitTo } = limitFor(request, 'user:manage')
    const person = await organisations.user((request.params as { id: string }).id, limitTo)
    if (!person) return reply.callNotFound()
    if (beyondRemit(scope, person.roles)) return refuseBeyondRemit(reply)
    await organisations.resetAccess(person.id, actorOfRequest(request), originOf(request))
    return reply.redirect(`/admin/users/${person.id}?reset=1`, 303)
  })

  app.post('/admin/users/:id/disable', { schema: uuidParams, config: { access: { permission: 'user:manage' } } }, async (request, reply) => {
    const { user, scope, limitTo } = limitFor(request, 'user:manage')
    const person = await organisations.user((request.params as { id: string }).id, limitTo)
    if (!person) return reply.callNotFound()
    if (beyondRemit(scope, person.roles)) return refuseBeyondRemit(reply)
    if (person.id === user.id) {
      return reply.code(400).view('platform/views/error.njk', { title: 'You cannot disable your own account', paragraphs: ['Ask another administrator to do it.'] })
    }
    await organisations.disable(person.id, actorOfRequest(request), originOf(request))
    return reply.redirect(`/admin/users/${person.id}?disabled=1`, 303)
  })

  const keysPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const { limitTo } = limitFor(request, 'api-key:manage')
    return {
      title: 'API keys', width: 'full',
      keys: await apiKeys.list(limitTo),
      organisations: (await organisations.organisations(limitTo)).map((o) => ({ value: o.id, text: `${o.name} (${ORGANISATION_TYPES[o.type as keyof typeof ORGANISATION_TYPES]})`, selected: o.id === extra.organisationId })),
      ...extra
    }
  }

  app.get('/admin/api-keys', { config: { access: { permission: 'api-key:manage' } } }, async (request, reply) => {
    return reply.view('organisations/views/api-keys.njk', await keysPage(request, { revoked: (request.query as Record<string, string>).revoked === '1' }))
  })

  app.post('/admin/api-keys', { config: { access: { permission: 'api-key:manage' } } }, async (request, reply) => {
    const { limitTo } = limitFor(request, 'api-key:manage')
    const organisationId = text(request.body, 'organisationId')
    const name = text(request.body, 'name')
    const errors = new FormErrors()
    if (!organisationId) errors.add('organisationId', 'Select the organisation the key is for')
    else if (!(await organisations.organisations(limitTo)).some((o) => o.id === organisationId)) errors.add('organisationId', 'Select an organisation you administer')
    if (!name) errors.add('name', 'Enter a name for the key, like the system that will use it')
    else if (name.length > 100) errors.add('name', 'The name must be 100 characters or fewer')
    if (errors.any) return reply.code(400).view('organisations/views/api-keys.njk', await keysPage(request, { organisationId, name, errors: errors.byField, errorList: errors.summary }))
    const created = await apiKeys.create(organisationId, name, actorOfRequest(request), originOf(request))
    const organisation = await organisations.organisation(organisationId)
    return reply.view('organisations/views/api-key-created.njk', { title: 'API key created', key: created.key, name, organisation })
  })

  app.post('/admin/api-keys/:id/revoke', { schema: uuidParams, config: { access: { permission: 'api-key:manage' } } }, async (request, reply) => {
    const { limitTo } = limitFor(request, 'api-key:manage')
    const key = await apiKeys.find((request.params as { id: string }).id)
    if (!key || (limitTo && key.organisation_id !== limitTo)) return reply.callNotFound()
    await apiKeys.revoke(key.id, actorOfRequest(request), originOf(request))
    return reply.redirect('/admin/api-keys?revoked=1', 303)
  })

  app.get('/api/v1/whoami', { config: { access: { api: 'client-identity:view' } } }, async (request) => {
    const client = apiClient(request)
    return {
      organisation: { reference: client.organisationReference, name: client.organisationName, type: client.organisationType },
      key: { name: client.keyName },
      permissions: client.permissions
    }
  })
}
