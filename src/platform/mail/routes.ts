// The development outbox: where mail lands when no SMTP server is configured (the demo). Never in production.
import type { RouteRegistrar } from '../http/server.ts'

export const mailRoutes: RouteRegistrar = (app, services) => {
  app.get('/dev/outbox', { config: { access: { permission: 'mail-outbox:view' } } }, async (_request, reply) => {
    if (services.config.production || services.mail.channel !== 'outbox') {
      return reply.code(404).view('platform/views/error.njk', { title: 'Page not found', paragraphs: ['Mail is delivered by SMTP on this system, so there is no development outbox.'] })
    }
    return reply.view('platform/mail/views/outbox.njk', { title: 'Mail outbox', width: 'full', messages: await services.mail.listRecent() })
  })
}
