// Starts Harbour: database, migrations, demo data (once), job runner, web server.
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.ts'
import { openDatabase } from './db/database.ts'
import { migrate } from './db/migrate.ts'
import { createServices } from './services.ts'
import type { Services } from './services.ts'
import { buildServer } from './http/server.ts'
import type { RouteRecord } from './http/server.ts'
import { ROUTES } from '../routes.ts'
import { loadDemoData } from '../organisations/demo.ts'
import { loadDemoRolls } from '../rolls/demo.ts'
import { loadDemoDirectory } from '../directory/demo.ts'
import { loadDemoSettings } from '../organisations/settings-demo.ts'
import { loadDemoIncidents } from '../encompass/demo.ts'

export interface Harbour {
  app: FastifyInstance
  services: Services
  routes: RouteRecord[]
  url: string
  close(): Promise<void>
}

export async function startHarbour(config: Config, options: { listen?: boolean } = {}): Promise<Harbour> {
  const database = await openDatabase(config)
  try {
    await migrate(database.db)
    if (config.loadDemoData) await loadDemoData(database.db)
    if (config.loadDemoData) await loadDemoSettings(database.db)
    if (config.loadDemoData) await (await import('../marac/demo.ts')).loadDemoMarac(database.db)
    if (config.loadDemoData) await loadDemoDirectory(database.db)
    const services = createServices(config, database)
    if (config.loadDemoData) await loadDemoRolls(services.db, services.rollMatcher)
    await services.jobs.start()
    // after the job runner starts: an incident queues its emails and escalations
    if (config.loadDemoData) await loadDemoIncidents(services.db, services.incidents)
    // the roll's index, built now in the background so the first incident need not wait for it (a
    // failure here is not fatal: the first match builds it again and reports the error)
    services.rollMatcher.warm().catch((error: unknown) => console.error('Could not build the roll index at start-up:', error))
    await services.mail.startWorker()
    await services.notifications.startWorker()
    const { app, routes } = await buildServer(services, ROUTES)
    let url = ''
    if (options.listen !== false) {
      url = await app.listen({ port: config.port, host: config.host })
    } else {
      await app.ready()
    }
    return {
      app, services, routes, url,
      async close() {
        try {
          await app.close()
        } finally {
          try {
            await services.jobs.stop()
          } finally {
            await database.close()
          }
        }
      }
    }
  } catch (error) {
    await database.close()
    throw error
  }
}
