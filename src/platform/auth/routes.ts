// Sign-in, second factor (enrol and use), sign-out, and accepting an invitation.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../http/server.ts'
import { CSRF_COOKIE, SESSION_COOKIE, originOf, signedInSession } from '../http/server.ts'
import { EMAIL_PATTERN, FormErrors, text } from '../http/forms.ts'
import { totpUri } from './totp.ts'
import type { SessionStage } from './auth-service.ts'

const NEXT: Record<SessionStage, string> = { 'complete': '/', 'second-factor': '/sign-in/second-factor', 'enrol-second-factor': '/sign-in/enrol' }

export const authRoutes: RouteRegistrar = (app, services) => {
  const { auth, config } = services
  const SIGN_IN = 'platform/auth/views/sign-in.njk'
  const signInPage = (reply: FastifyReply, context: Record<string, unknown> = {}) => reply.view(SIGN_IN, { title: 'Sign in to Harbour', ...context })

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.auth.kind === 'session') return reply.redirect(NEXT[request.auth.session.stage], 303)
    return signInPage(reply, { showDemo: config.loadDemoData })
  })

  app.post('/sign-in', { config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const email = text(request.body, 'email')
    const password = text(request.body, 'password')
    const errors = new FormErrors()
    if (!email) errors.add('email', 'Enter your email address')
    else if (!EMAIL_PATTERN.test(email)) errors.add('email', 'Enter an email address in the correct format, like name@example.org')
    if (!password) errors.add('password', 'Enter your password')
    if (errors.any) return signInPage(reply.code(400), { errors: errors.byField, errorList: errors.summary, email, showDemo: config.loadDemoData })
    const result = await auth.signIn(email, password, originOf(request))
    if (!result.ok) {
      const message = result.reason === 'locked'
        ? `Too many attempts to sign in. Wait ${config.signInLockMinutes} minutes and try again, or ask your administrator to reset your access.`
        : 'Enter the email address and password for your Harbour account'
      errors.add('email', message)
      return signInPage(reply.code(result.reason === 'locked' ? 429 : 401), { errors: errors.byField, errorList: errors.summary, email, showDemo: config.loadDemoData })
    }
    reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, secure: config.production, sameSite: 'lax' })
    return reply.redirect(NEXT[result.stage], 303)
  })

  app.get('/sign-in/second-factor', { config: { access: 'second-factor' } }, async (request, reply) => {
    const session = signedInSession(request)
    if (session.stage === 'enrol-second-factor') return reply.redirect('/sign-in/enrol', 303)
    return reply.view('platform/auth/views/second-factor.njk', { title: 'Enter the code from your authenticator app' })
  })

  app.get('/sign-in/enrol', { config: { access: 'second-factor' } }, async (request, reply) => {
    const session = signedInSession(request)
    if (session.stage !== 'enrol-second-factor' || !session.enrolmentSecret) return reply.redirect('/sign-in/second-factor', 303)
    return reply.view('platform/auth/views/enrol.njk', {
      title: 'Set up your authenticator app',
      secret: session.enrolmentSecret.match(/.{1,4}/g)?.join(' '),
      uri: totpUri(session.enrolmentSecret, session.user.email)
    })
  })

  const codeHandler = (enrolling: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const session = signedInSession(request)
    const code = text(request.body, 'code')
    const errors = new FormErrors()
    if (!code) errors.add('code', 'Enter the 6-digit code from your authenticator app')
    else if (!/^[0-9 ]{6,7}$/.test(code)) errors.add('code', 'The code must be 6 numbers')
    else if (!(await auth.completeSecondFactor(session, code, originOf(request)))) errors.add('code', 'That code is not right or has already been used. Enter the latest code from your app')
    if (errors.any) {
      const template = enrolling ? 'platform/auth/views/enrol.njk' : 'platform/auth/views/second-factor.njk'
      return reply.code(400).view(template, {
        title: enrolling ? 'Set up your authenticator app' : 'Enter the code from your authenticator app',
        errors: errors.byField, errorList: errors.summary,
        ...(enrolling && session.enrolmentSecret ? { secret: session.enrolmentSecret.match(/.{1,4}/g)?.join(' '), uri: totpUri(session.enrolmentSecret, session.user.email) } : {})
      })
    }
    return reply.redirect('/', 303)
  }
  app.post('/sign-in/second-factor', { config: { access: 'second-factor', rateLimit: { max: 10, timeWindow: '1 minute' } } }, codeHandler(false))
  app.post('/sign-in/enrol', { config: { access: 'second-factor', rateLimit: { max: 10, timeWindow: '1 minute' } } }, codeHandler(true))

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.auth.kind === 'session') await auth.signOut(request.auth.session, originOf(request))
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    reply.clearCookie(CSRF_COOKIE, { path: '/' })
    return reply.redirect('/signed-out', 303)
  })

  app.get('/signed-out', { config: { access: 'public' } }, async (_request, reply) => {
    return reply.view('platform/auth/views/signed-out.njk', { title: 'You have signed out' })
  })

  const invitationSchema = { params: { type: 'object', properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } }, required: ['token'] } }

  app.get('/invitation/:token', { schema: invitationSchema, config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params as { token: string }
    const invitation = await auth.invitation(token)
    if (!invitation) return reply.code(404).view('platform/views/error.njk', { title: 'This invitation has expired', paragraphs: ['Invitation links last 7 days and work once. Ask your organisation administrator to send a new one.'] })
    return reply.view('platform/auth/views/set-password.njk', { title: 'Set your password', email: invitation.email, token })
  })

  app.post('/invitation/:token', { schema: invitationSchema, config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { token } = request.params as { token: string }
    const password = text(request.body, 'password')
    const confirm = text(request.body, 'confirmPassword')
    const errors = new FormErrors()
    if (!password) errors.add('password', 'Enter a password')
    else if (password !== confirm) errors.add('confirmPassword', 'The passwords do not match')
    if (!errors.any) {
      const result = await auth.acceptInvitation(token, password, originOf(request))
      if (result.ok) return reply.view('platform/auth/views/password-set.njk', { title: 'Your password is set' })
      errors.add('password', result.error)
    }
    const invitation = await auth.invitation(token)
    return reply.code(400).view('platform/auth/views/set-password.njk', { title: 'Set your password', email: invitation?.email, token, errors: errors.byField, errorList: errors.summary })
  })
}
