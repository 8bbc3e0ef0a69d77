// The web server. Middleware in a readable order: request id and security headers, cookies and forms,
// who is asking (session or API key), CSRF, access, then each capability's routes, not-found and errors.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import type { MultipartFile } from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import type { Services } from '../services.ts'
import type { Permission, RouteAccess } from '../access/roles.ts'
import { actorOf } from '../auth/auth-service.ts'
import type { RequestOrigin, SignedInSession } from '../auth/auth-service.ts'
import type { ApiClient } from '../../organisations/api-keys.ts'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.ts'
import { createViews } from './views.ts'
import { navigationFor } from './navigation.ts'
import { registerAssetRoutes } from './assets.ts'

export type RequestAuth =
  | { kind: 'anonymous' }
  | { kind: 'session', session: SignedInSession }
  | { kind: 'api', client: ApiClient }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
    /**
     * A public page that must set no cookie at all (the support directory a person at risk reads): its
     * view sets no CSRF cookie, so it can carry no form that posts. Only for public GET pages.
     */
    cookieless?: boolean
  }
  interface FastifyRequest {
    auth: RequestAuth
    cspNonce: string
    /** a multipart form's (first) file, not yet read: its fields before it are in request.body */
    upload: MultipartFile | undefined
  }
  interface FastifyReply {
    view(template: string, context?: Record<string, unknown>): FastifyReply
  }
}

export const SESSION_COOKIE = 'harbour_session'
export const CSRF_COOKIE = 'harbour_csrf'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** The largest file a form may upload (a whole council's pupil roll is about 100 MB). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024

/**
 * Reads a multipart form up to its first file: the fields before it (the CSRF token first among them)
 * become request.body, and the file is left unread in request.upload for the route to stream.
 */
async function readMultipartFields(request: FastifyRequest): Promise<void> {
  const fields: Record<string, string> = {}
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      request.upload = part
      break
    }
    if (typeof part.value === 'string' && !Object.hasOwn(fields, part.fieldname)) fields[part.fieldname] = part.value
  }
  request.body = fields
}

export function originOf(request: FastifyRequest): RequestOrigin {
  return { ip: request.ip, requestId: String(request.id) }
}

export function actorOfRequest(request: FastifyRequest): Actor {
  const auth = request.auth
  if (auth.kind === 'session') return actorOf(auth.session.user)
  if (auth.kind === 'api') return { apiKeyId: auth.client.keyId, organisationId: auth.client.organisationId, label: `API key "${auth.client.keyName}" (${auth.client.organisationReference})` }
  return { label: 'anonymous' }
}

export function signedInSession(request: FastifyRequest): SignedInSession {
  if (request.auth.kind !== 'session') throw new Error('This route needs a signed-in person')
  return request.auth.session
}

export function apiClient(request: FastifyRequest): ApiClient {
  if (request.auth.kind !== 'api') throw new Error('This route needs an API key')
  return request.auth.client
}

/** The form token for a CSRF cookie: only the server (it holds the secret) can make one. */
export function csrfTokenFor(secret: string, cookieValue: string): string {
  return createHmac('sha256', secret).update(`csrf:${cookieValue}`).digest('base64url')
}

export interface RouteRecord { method: string, url: string, access: RouteAccess }

export type RouteRegistrar = (app: FastifyInstance, services: Services) => void | Promise<void>

export async function buildServer(services: Services, registrars: RouteRegistrar[]): Promise<{ app: FastifyInstance, routes: RouteRecord[] }> {
  const { config } = services
  const app = Fastify({
    logger: { level: config.logLevel },
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024
  })
  const routes: RouteRecord[] = []
  const views = createViews()
  const csrfToken = (cookieValue: string) => csrfTokenFor(config.sessionSecret, cookieValue)
  const cookieOptions = { path: '/', httpOnly: true, secure: config.production, sameSite: 'lax' as const }

  // Deny by default: a route that does not say who may use it stops the server from starting.
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (!access) throw new Error(`Route ${methods.join(',')} ${route.url} declares no access rule (config.access)`)
    if (route.config?.cookieless && (access !== 'public' || methods.some((method) => method !== 'GET' && method !== 'HEAD'))) {
      throw new Error(`Route ${methods.join(',')} ${route.url} is cookieless: only public GET pages may be (they can carry no form token)`)
    }
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: route.url, access })
  })

  await app.register(cookie)
  await app.register(formbody)
  // Multipart forms (file uploads): one file, a few small fields, read by readMultipartFields below.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, fieldSize: 10_000, parts: 25 } })
  await app.register(rateLimit, { global: false })
  await app.register(fastifyStatic, { root: services.assetRoots, serve: false })

  app.decorateRequest('auth', undefined as unknown as { getter(): RequestAuth })
  app.decorateRequest('cspNonce', '')
  app.decorateRequest('upload', undefined)

  // A file the route did not read (the request was refused, or the route takes no file) is read to its
  // end and dropped, so the upload finishes and the connection is free again.
  app.addHook('onResponse', async (request) => {
    const file = request.upload?.file
    if (file && !file.readableEnded && !file.destroyed) file.resume()
  })

  app.addHook('onRequest', async (request, reply) => {
    request.cspNonce = randomBytes(16).toString('base64')
    request.auth = { kind: 'anonymous' }
    reply.header('Content-Security-Policy', [
      "default-src 'self'", `script-src 'self' 'nonce-${request.cspNonce}'`, "style-src 'self'", "img-src 'self' data:",
      "font-src 'self'", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"
    ].join('; '))
    reply.header('X-Content-Type-Options', 'nosniff')
    reply.header('X-Frame-Options', 'DENY')
    reply.header('Referrer-Policy', 'no-referrer')
    reply.header('Cross-Origin-Opener-Policy', 'same-origin')
    reply.header('Cross-Origin-Resource-Policy', 'same-origin')
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (config.production) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    reply.header('X-Request-Id', String(request.id))
  })

  app.decorateReply('view', function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request
    let csrfCookie = request.cookies[CSRF_COOKIE]
    const cookieless = request.routeOptions.config?.cookieless === true
    if (!csrfCookie && !cookieless) {
      csrfCookie = randomBytes(24).toString('base64url')
      this.setCookie(CSRF_COOKIE, csrfCookie, { ...cookieOptions, sameSite: 'strict' })
      request.cookies[CSRF_COOKIE] = csrfCookie
    }
    const session = request.auth?.kind === 'session' && request.auth.session.stage === 'complete' ? request.auth.session : undefined
    const html = views.render(template, {
      cspNonce: request.cspNonce,
      csrfToken: csrfCookie ? csrfToken(csrfCookie) : '',
      user: session?.user,
      navigation: session ? navigationFor(session.user, request.url, services.mail.channel) : [],
      demoNotice: session?.secondFactorSkipped ?? false,
      ...context
    })
    this.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html)
    return this
  })

  const deny = async (request: FastifyRequest, reply: FastifyReply, reason: string, permission?: Permission) => {
    await appendAudit(services.db, {
      actor: actorOfRequest(request), action: 'access-denied', outcome: 'denied', ...originOf(request),
      details: { method: request.method, path: request.url.split('?')[0], reason, ...(permission ? { permission } : {}) }
    })
    if (request.url.startsWith('/api/')) return reply.code(403).send({ error: 'forbidden', message: reason })
    return reply.code(403).view('platform/views/error.njk', {
      title: 'You do not have access to this page',
      paragraphs: ['Your role does not allow this. If you think you need it for your work, ask your organisation administrator.'],
      requestId: request.id
    })
  }

  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config?.access
    if (!access) return // the not-found handler
    const isApi = typeof access === 'object' && 'api' in access

    if (isApi) {
      const header = request.headers.authorization ?? ''
      const key = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
      const client = key ? await services.apiKeys.authenticate(key) : undefined
      if (!client) {
        await appendAudit(services.db, { actor: { label: 'anonymous' }, action: 'api-authentication', outcome: 'failure', ...originOf(request), details: { path: request.url.split('?')[0], reason: key ? 'unknown or revoked key' : 'no key' } })
        return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'unauthorised', message: 'Send a valid API key as "Authorization: Bearer <key>"' })
      }
      request.auth = { kind: 'api', client }
      if (!client.permissions.includes(access.api)) return deny(request, reply, `API keys of a ${client.organisationType.replace(/_/g, ' ')} may not use this`, access.api)
      return
    }

    const session = await services.auth.session(request.cookies[SESSION_COOKIE])
    if (session) request.auth = { kind: 'session', session }

    // Who may use the route comes first, so nobody is kept waiting for (or sends) a form they may not send.
    if (access !== 'public') {
      if (!session) {
        if (request.method === 'GET') return reply.redirect('/sign-in', 303)
        return reply.code(401).view('platform/views/error.njk', { title: 'You are signed out', paragraphs: ['Your session has ended. Sign in again to carry on.'] })
      }
      if (access === 'second-factor') {
        if (session.stage === 'complete') return reply.redirect('/', 303)
      } else {
        if (session.stage === 'second-factor') return reply.redirect('/sign-in/second-factor', 303)
        if (session.stage === 'enrol-second-factor') return reply.redirect('/sign-in/enrol', 303)
        if (access !== 'signed-in' && !session.user.grants.has(access.permission)) return deny(request, reply, 'role does not grant this permission', access.permission)
      }
    }

    if (UNSAFE.has(request.method)) {
      if (request.isMultipart()) {
        if (Number(request.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES + 1024 * 1024) {
          return reply.code(413).view('platform/views/error.njk', {
            title: 'The file is too large',
            paragraphs: [`Harbour takes files of up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Go back and choose a smaller file.`]
          })
        }
        await readMultipartFields(request)
      }
      const cookieValue = request.cookies[CSRF_COOKIE]
      const sent = typeof (request.body as Record<string, unknown> | undefined)?._csrf === 'string' ? (request.body as Record<string, string>)._csrf : request.headers['x-csrf-token']
      const expected = cookieValue ? Buffer.from(csrfToken(cookieValue)) : undefined
      const given = typeof sent === 'string' ? Buffer.from(sent) : undefined
      if (!expected || !given || expected.length !== given.length || !timingSafeEqual(expected, given)) {
        await appendAudit(services.db, { actor: actorOfRequest(request), action: 'csrf-rejected', outcome: 'denied', ...originOf(request), details: { path: request.url } })
        return reply.code(403).view('platform/views/error.njk', {
          title: 'Your form could not be sent',
          paragraphs: ['The page you sent it from had expired, or the request did not come from Harbour. Go back, reload the page and try again.']
        })
      }
    }
  })

  for (const register of registrars) await register(app, services)
  registerAssetRoutes(app)

  app.setNotFoundHandler({ preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute' }) }, async (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'not-found', message: `No such endpoint: ${request.method} ${request.url.split('?')[0]}` })
    return reply.code(404).view('platform/views/error.njk', { title: 'Page not found', paragraphs: ['If you typed the web address, check it is correct.'] })
  })

  app.setErrorHandler(async (error: Error & { statusCode?: number, validation?: unknown }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error(error)
    if (request.url.startsWith('/api/')) {
      return reply.code(status).send({ error: status === 500 ? 'internal-error' : 'bad-request', message: status === 500 ? 'Something went wrong' : error.message, requestId: request.id })
    }
    return reply.code(status).view('platform/views/error.njk', {
      title: status === 500 ? 'Sorry, there is a problem with Harbour' : status === 429 ? 'Too many requests' : 'There is a problem with the request',
      paragraphs: [status === 500 ? 'Try again later. If it keeps happening, tell the partnership support team and quote the reference below.' : error.message],
      requestId: request.id
    })
  })

  return { app, routes }
}
