import { sql } from 'kysely'
import type { RouteRegistrar } from './server.ts'

export const healthRoutes: RouteRegistrar = (app, services) => {
  app.get('/ping', { config: { access: 'public' } }, async () => ({ status: 'ok' }))

  app.get('/health', { config: { access: 'public' } }, async (_request, reply) => {
    let database = 'ok'
    try {
      await sql`select 1`.execute(services.db)
    } catch {
      database = 'unavailable'
    }
    const jobs = (await services.jobs.healthy()) ? 'ok' : 'unavailable'
    const healthy = database === 'ok' && jobs === 'ok'
    return reply.code(healthy ? 200 : 503).header('Cache-Control', 'no-store').send({ status: healthy ? 'ok' : 'unhealthy', database, jobs })
  })
}
