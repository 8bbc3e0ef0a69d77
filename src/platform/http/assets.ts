// GOV.UK Frontend's built assets and Harbour's own, served from /assets.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { GOVUK_DIST } from './views.ts'

export const HARBOUR_ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets')
const GOVUK_ASSETS = path.join(GOVUK_DIST, 'govuk')

export const ASSET_ROOTS = [HARBOUR_ASSETS, GOVUK_ASSETS, path.join(GOVUK_ASSETS, 'assets')]

const FILES: Record<string, string> = {
  'govuk-frontend.min.css': GOVUK_ASSETS,
  'govuk-frontend.min.js': GOVUK_ASSETS,
  'init.js': HARBOUR_ASSETS,
  'harbour.css': HARBOUR_ASSETS,
  'directory.css': HARBOUR_ASSETS
}

export function registerAssetRoutes(app: FastifyInstance): void {
  app.get('/assets/*', { config: { access: 'public' } }, async (request, reply) => {
    const name = (request.params as { '*': string })['*']
    if (name.includes('..')) return reply.callNotFound()
    const root = FILES[name] ?? (/^(images|fonts)\/[\w.-]+$|^manifest\.json$/.test(name) ? path.join(GOVUK_ASSETS, 'assets') : undefined)
    if (!root) return reply.callNotFound()
    reply.header('Cache-Control', 'public, max-age=3600')
    return reply.sendFile(name, root)
  })
}
