// Mail out, end to end: an invitation goes through the job runner to a real SMTP server (started here),
// an Operation Encompass notification reaches the DSL saying only that it is waiting, a refused
// recipient is recorded as a failure, and without SMTP the mail lands in the development outbox.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { incidentBody, reportedPupil, testHarbour } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { sha256 } from '../src/platform/auth/auth-service.ts'
import { lonePupil } from '../src/encompass/demo.ts'

interface Received { from: string, to: string[], raw: string }

const WAIT_MS = 15_000
const received: Received[] = []
/** Recipients whose address starts with this are refused at RCPT TO. */
const REFUSED = 'refused.'

let smtp: SMTPServer
let smtpPort = 0
let withSmtp: TestHarbour
let withoutSmtp: TestHarbour

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith(REFUSED)) {
        const error = new Error('Mailbox unavailable (refused by the test server)') as Error & { responseCode: number }
        error.responseCode = 550
        callback(error)
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8')
        })
        callback()
      })
    }
  })
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject)
    smtp.listen(0, '127.0.0.1', () => resolve())
  })
  smtpPort = (smtp.server.address() as AddressInfo).port
  withSmtp = await testHarbour({ demo: true, env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } })
  withoutSmtp = await testHarbour()
})

after(async () => {
  await withSmtp?.stop()
  await withoutSmtp?.stop()
  await new Promise<void>((resolve) => smtp ? smtp.close(() => resolve()) : resolve())
})

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Gave up after ${WAIT_MS / 1000}s waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The body of a single-part text message, undoing quoted-printable or base64 transfer encoding. */
function textBody(raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  assert.ok(split > 0, 'the message has headers and a body')
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const body = raw.slice(split + 4)
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase() ?? '7bit'
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  return body
}

function header(raw: string, name: string): string | undefined {
  const headers = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ')
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim()
}

async function invite(harbour: TestHarbour, email: string) {
  const admin = await harbour.person(['partnership_admin'])
  const userId = await harbour.services.organisations.invite(
    { email, displayName: 'Invited Test Person', organisationId: admin.organisationId, roles: ['social_worker'] },
    { userId: admin.userId, organisationId: admin.organisationId, label: 'mail test' },
    {}
  )
  const message = await harbour.services.db.selectFrom('mail_message').selectAll().where('recipient', '=', email).executeTakeFirstOrThrow()
  return { admin, userId, messageId: message.id }
}

const address = (label: string) => `${label}${randomBytes(4).toString('hex')}@test.harbour.invalid`

test('an invitation is delivered through SMTP with a working link, and recorded as sent', async () => {
  const email = address('invitee.')
  const { userId, messageId } = await invite(withSmtp, email)

  const mail = await waitFor('the SMTP server to receive the invitation', () => received.find((m) => m.to.includes(email)))
  assert.deepEqual(mail.to, [email])
  assert.equal(mail.from, 'no-reply@harbour.invalid')
  assert.equal(header(mail.raw, 'subject'), 'You have been invited to Harbour')
  assert.equal(header(mail.raw, 'to'), email)

  const body = textBody(mail.raw)
  const base = withSmtp.config.publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const link = new RegExp(`${base}/invitation/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`).exec(body)
  assert.ok(link, `the body has an invitation link at ${withSmtp.config.publicUrl}:\n${body}`)
  const invitation = await withSmtp.services.db.selectFrom('invitation').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow()
  assert.equal(invitation.token_hash, sha256(link[1] ?? ''), 'the link carries the token the invitation was made with')

  const row = await waitFor('the mail_message row to be marked sent', async () => {
    const r = await withSmtp.services.db.selectFrom('mail_message').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow()
    return r.status === 'sent' ? r : undefined
  })
  assert.equal(row.channel, 'smtp')
  assert.equal(row.attempts, 1)
  assert.equal(row.last_error, null)
  assert.ok(row.sent_at instanceof Date)
  assert.ok(!row.body.includes(link[1] ?? '(no token)'), 'once delivered, Harbour keeps no usable copy of the one-time link')
  assert.match(row.body, /\/invitation\/\[link removed after delivery\]/)
})

test('a recipient the SMTP server refuses is recorded as a failed delivery with the reason', async () => {
  const email = address(REFUSED)
  const { messageId } = await invite(withSmtp, email)

  const row = await waitFor('the mail_message row to record the failure', async () => {
    const r = await withSmtp.services.db.selectFrom('mail_message').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow()
    return r.status === 'failed' ? r : undefined
  })
  assert.equal(row.channel, 'smtp')
  assert.ok(row.attempts >= 1, `attempts is ${row.attempts}`)
  assert.ok(row.last_error, 'last_error is set')
  assert.match(row.last_error, /550|refused|rejected/i)
  assert.equal(row.sent_at, null)
  assert.ok(!received.some((m) => m.to.includes(email)), 'the refused recipient received nothing')
})

test('a batch of deliveries: each message succeeds or fails on its own, an SMTP refusal fails only its own message', async () => {
  const mail = withSmtp.services.mail
  const good = [address('batch-a'), address('batch-b'), address('batch-c')]
  const refused = address(REFUSED)
  // recorded without delivery jobs, so that only this batch delivers them
  const ids = (await withSmtp.services.db.insertInto('mail_message')
    .values([...good, refused].map((to) => ({ recipient: to, subject: 'Harbour: batch test', body: `For ${to}`, channel: 'smtp' })))
    .returning('id').execute()).map((r) => r.id)
  const failures = await mail.deliverMany([ids[0]!, ids[3]!, ids[1]!, ids[2]!, ids[0]!])
  assert.deepEqual(failures.map((f) => (f === undefined ? 'sent' : 'failed')), ['sent', 'failed', 'sent', 'sent', 'sent'])
  assert.match(String(failures[1]?.message), /550|refused|rejected/i)
  const rows = await withSmtp.services.db.selectFrom('mail_message').select(['id', 'recipient', 'status', 'attempts', 'last_error']).where('id', 'in', ids).execute()
  const byRecipient = new Map(rows.map((r) => [r.recipient, r]))
  for (const to of good) {
    assert.equal(byRecipient.get(to)?.status, 'sent', to)
    assert.equal(byRecipient.get(to)?.last_error, null)
  }
  assert.equal(byRecipient.get(refused)?.status, 'failed')
  for (const to of good) assert.equal(received.filter((m) => m.to.includes(to)).length, 1, `${to} received the message once`)
  // delivered again (a retried job): a sent message is not sent twice
  const again = await mail.deliverMany([ids[0]!])
  assert.deepEqual(again, [undefined])
  assert.equal(received.filter((m) => m.to.includes(good[0]!)).length, 1)
})

test('without SMTP_URL the mail lands in the development outbox, which a partnership administrator can read', async () => {
  assert.equal(withoutSmtp.services.mail.channel, 'outbox')
  const email = address('outbox.')
  const before = received.length
  const { messageId } = await invite(withoutSmtp, email)

  const row = await waitFor('the outbox message to be marked sent', async () => {
    const r = await withoutSmtp.services.db.selectFrom('mail_message').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow()
    return r.status === 'sent' ? r : undefined
  })
  assert.equal(row.channel, 'outbox')
  assert.equal(row.attempts, 1)
  assert.equal(received.length, before, 'nothing went to the SMTP server')

  const { cookies } = await withoutSmtp.person(['partnership_admin'])
  const page = await withoutSmtp.app.inject({ method: 'GET', url: '/dev/outbox', cookies })
  assert.equal(page.statusCode, 200)
  assert.ok(page.body.includes(email), 'the outbox lists the recipient')
  assert.ok(page.body.includes('You have been invited to Harbour'), 'the outbox shows the subject')
  assert.match(page.body, new RegExp(`${withoutSmtp.config.publicUrl}/invitation/[A-Za-z0-9_-]{43}`))

  const elsewhere = await withSmtp.person(['partnership_admin'])
  const smtpPage = await withSmtp.app.inject({ method: 'GET', url: '/dev/outbox', cookies: elsewhere.cookies })
  assert.equal(smtpPage.statusCode, 404, 'an instance that sends by SMTP has no outbox page')
})

test('an Operation Encompass notification reaches the DSL through SMTP with a link and nothing about the child', async () => {
  const db = withSmtp.services.db
  const police = await db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
  const key = (await withSmtp.services.apiKeys.create(police.id, 'records system', { label: 'mail test' })).key
  const pupil = (await lonePupil(db, '990001'))!
  const posted = await withSmtp.app.inject({
    method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${key}` },
    payload: incidentBody('HPF/MAIL/1', [reportedPupil(pupil)])
  })
  assert.equal(posted.statusCode, 201, posted.body)
  const notification = await db.selectFrom('encompass_notification').select('id').where('incident_id', '=', posted.json().id).executeTakeFirstOrThrow()

  const mail = await waitFor('the DSL\'s email', () => received.find((m) => m.to.includes('dsl@meadowbank.harbour.invalid') && textBody(m.raw).includes(notification.id)))
  const body = textBody(mail.raw)
  assert.ok(body.includes(`${withSmtp.config.publicUrl}/notifications/${notification.id}`), `the email links to the notification:\n${body}`)
  for (const secret of [pupil.first_name, pupil.last_name, 'HPF/MAIL/1', 'Synthetic', 'Home address', 'Police attended']) assert.ok(!mail.raw.includes(secret), `the email does not contain "${secret}"`)
  const delivered = await waitFor('the delivery to be recorded as sent', async () => {
    const rows = await db.selectFrom('encompass_delivery as d').innerJoin('mail_message as m', 'm.id', 'd.mail_message_id')
      .select(['m.recipient', 'm.status']).where('d.notification_id', '=', notification.id).execute()
    return rows.length > 0 && rows.every((r) => r.status === 'sent') ? rows : undefined
  })
  assert.deepEqual(delivered.map((r) => r.recipient).sort(), ['deputy@meadowbank.harbour.invalid', 'dsl@meadowbank.harbour.invalid'])
})
