// Mail out: every message is recorded, then delivered by a job with retries. With SMTP configured it
// goes through nodemailer; without (the demo), it lands in the development outbox page.
import { randomUUID } from 'node:crypto'
import nodemailer from 'nodemailer'
import type { Transporter } from 'nodemailer'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import type { Jobs } from '../jobs/jobs.ts'

export interface OutgoingMail { to: string, subject: string, body: string }

export const MAIL_QUEUE = 'mail-deliver'
const MAIL_RETRIES = { retryLimit: 5, retryDelay: 30, retryBackoff: true }

/** Invitation links carry a token that works once: this is the body with each one blanked out. */
export function withoutOneTimeLinks(body: string): string {
  return body.replace(/\/invitation\/[A-Za-z0-9_-]{43}/g, '/invitation/[link removed after delivery]')
}

export class Mail {
  readonly #db: Db
  readonly #jobs: Jobs
  readonly #from: string
  readonly #transport: Transporter | undefined

  constructor(config: Config, db: Db, jobs: Jobs) {
    this.#db = db
    this.#jobs = jobs
    this.#from = config.mailFrom
    this.#transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined
  }

  get channel(): 'smtp' | 'outbox' { return this.#transport ? 'smtp' : 'outbox' }

  /** Record a message and queue its delivery, in the caller's transaction when given one. */
  async queue(message: OutgoingMail, trx: Db = this.#db): Promise<string> {
    const row = await trx.insertInto('mail_message')
      .values({ recipient: message.to, subject: message.subject, body: message.body, channel: this.channel })
      .returning('id').executeTakeFirstOrThrow()
    await this.#jobs.send(MAIL_QUEUE, { id: row.id }, MAIL_RETRIES, trx)
    return row.id
  }

  /**
   * Many messages at once, in the caller's transaction when given one: each recorded as its own row (its
   * own delivery status, attempts and error) with its own delivery job and retries, written in one
   * statement each. The ids are in the order of the messages. `alsoJobs` are other jobs of the same
   * change, queued in the same statement as the deliveries.
   */
  async queueMany(messages: OutgoingMail[], trx: Db = this.#db, alsoJobs: Parameters<Jobs['sendMany']>[0] = []): Promise<string[]> {
    if (messages.length === 0) {
      await this.#jobs.sendMany(alsoJobs, trx)
      return []
    }
    const ids = messages.map(() => randomUUID())
    await trx.insertInto('mail_message')
      .values(messages.map((message, i) => ({ id: ids[i]!, recipient: message.to, subject: message.subject, body: message.body, channel: this.channel })))
      .execute()
    await this.#jobs.sendMany([...ids.map((id) => ({ name: MAIL_QUEUE, data: { id }, options: MAIL_RETRIES })), ...alsoJobs], trx)
    return ids
  }

  async startWorker(): Promise<void> {
    await this.#jobs.work<{ id: string }>(MAIL_QUEUE, (job) => this.deliver(job.id))
  }

  async deliver(id: string): Promise<void> {
    const message = await this.#db.selectFrom('mail_message').selectAll().where('id', '=', id).executeTakeFirst()
    if (!message || message.status === 'sent') return
    try {
      if (message.channel === 'smtp') {
        if (!this.#transport) throw new Error('SMTP is not configured on this instance')
        await this.#transport.sendMail({ from: this.#from, to: message.recipient, subject: message.subject, text: message.body })
      }
      // Once delivered by SMTP, Harbour keeps no usable copy of a one-time link (the outbox, outside
      // production, is where people read the mail, so it keeps them).
      const body = message.channel === 'smtp' ? withoutOneTimeLinks(message.body) : message.body
      await this.#db.updateTable('mail_message')
        .set((eb) => ({ status: 'sent', sent_at: new Date(), attempts: eb('attempts', '+', 1), last_error: null, body }))
        .where('id', '=', id).execute()
    } catch (error) {
      await this.#db.updateTable('mail_message')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String(error instanceof Error ? error.message : error), status: 'failed' }))
        .where('id', '=', id).execute()
      throw error
    }
  }

  listRecent(limit = 50) {
    return this.#db.selectFrom('mail_message').selectAll().orderBy('created_at', 'desc').limit(limit).execute()
  }
}
