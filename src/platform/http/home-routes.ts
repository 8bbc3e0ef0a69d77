import type { RouteRegistrar } from './server.ts'
import { signedInSession } from './server.ts'
import { ROLES, isRole } from '../access/roles.ts'
import { navigationFor } from './navigation.ts'

export const homeRoutes: RouteRegistrar = (app, services) => {
  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    const { user } = signedInSession(request)
    return reply.view('platform/views/home.njk', {
      title: 'Home',
      roles: user.roles.filter(isRole).map((role) => ROLES[role]),
      links: navigationFor(user, request.url, services.mail.channel).filter((item) => item.href !== '/')
    })
  })
}
