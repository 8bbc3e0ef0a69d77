// Mail out: every message is recorded, then delivered by a job with retries. With SMTP configured it
// goes through nodemailer; without (the demo), it lands in the development outbox page.
import { randomUUID } from 'node:crypto'
import nodemailer from 'nodemailer'
import type { Transporter } from 'nodemailer'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import type { Jobs } from '../jobs/jobs.ts'
import { eachLimited } from '../concurrency.ts'

export interface OutgoingMail { to: string, subject: string, body: string }

export const MAIL_QUEUE = 'mail-deliver'
const MAIL_RETRIES = { retryLimit: 5, retryDelay: 30, retryBackoff: true }
/** Delivery jobs taken at a time, and messages handed to the SMTP server at once. */
const DELIVERY_BATCH = 100
const SMTP_CONCURRENCY = 4
/** rows in one insert: well under PostgreSQL's 65,535 values a statement */
export const ROWS_A_STATEMENT = 1000

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
    // in slices, so that no statement carries more values than PostgreSQL takes
    for (let at = 0; at < messages.length; at += ROWS_A_STATEMENT) {
      await trx.insertInto('mail_message')
        .values(messages.slice(at, at + ROWS_A_STATEMENT).map((message, i) => ({ id: ids[at + i]!, recipient: message.to, subject: message.subject, body: message.body, channel: this.channel })))
        .execute()
    }
    await this.#jobs.sendMany([...ids.map((id) => ({ name: MAIL_QUEUE, data: { id }, options: MAIL_RETRIES })), ...alsoJobs], trx)
    return ids
  }

  /** Delivery jobs a batch at a time: one read and one write for the batch, each message still sent (and retried) on its own. */
  async startWorker(): Promise<void> {
    await this.#jobs.workMany<{ id: string }>(MAIL_QUEUE, async (jobs) => await this.deliverMany(jobs.map((job) => job.id)), DELIVERY_BATCH)
  }

  /** Delivers one message; throws if it could not be (its delivery job is then retried). */
  async deliver(id: string): Promise<void> {
    const [failure] = await this.deliverMany([id])
    if (failure !== undefined) throw failure
  }

  /**
   * Delivers messages (those already sent, or gone, are skipped): by SMTP a few at a time when it is
   * configured, each recorded as sent (or failed) the moment the server has answered, so a crash part way
   * through a batch never sends one twice; else into the outbox, the batch recorded in one statement.
   * Answers, for each id in order, undefined when it was delivered or the error it failed with.
   */
  async deliverMany(ids: string[]): Promise<Array<Error | undefined>> {
    if (ids.length === 0) return []
    const found = await this.#db.selectFrom('mail_message').selectAll().where('id', 'in', [...new Set(ids)]).execute()
    const pending = found.filter((m) => m.status !== 'sent')
    const errors = new Map<string, Error>()
    await eachLimited(pending.filter((m) => m.channel === 'smtp'), SMTP_CONCURRENCY, async (message) => {
      try {
        if (!this.#transport) throw new Error('SMTP is not configured on this instance')
        await this.#transport.sendMail({ from: this.#from, to: message.recipient, subject: message.subject, text: message.body })
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error))
        errors.set(message.id, failure)
        await this.#record([message.id], { failed: failure.message })
        return
      }
      // Once delivered by SMTP, Harbour keeps no usable copy of a one-time link (the outbox, outside
      // production, is where people read the mail, so it keeps them).
      await this.#record([message.id], { body: withoutOneTimeLinks(message.body) })
    })
    await this.#record(pending.filter((m) => m.channel === 'outbox').map((m) => m.id), {})
    return ids.map((id) => errors.get(id))
  }

  /** Records messages as sent (with their body, if it changes), or as failed with the reason; each counts an attempt. */
  async #record(ids: string[], outcome: { body?: string, failed?: string }): Promise<void> {
    if (ids.length === 0) return
    await this.#db.updateTable('mail_message')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        ...(outcome.failed === undefined
          ? { status: 'sent' as const, sent_at: new Date(), last_error: null, ...(outcome.body === undefined ? {} : { body: outcome.body }) }
          : { status: 'failed' as const, last_error: outcome.failed })
      }))
      .where('id', 'in', ids).execute()
  }

  listRecent(limit = 50) {
    return this.#db.selectFrom('mail_message').selectAll().orderBy('created_at', 'desc').limit(limit).execute()
  }
}
