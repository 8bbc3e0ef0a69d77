// Background jobs (deliveries, deadlines, escalations, reminders) on pg-boss, in Harbour's own database,
// so a job can be committed in the same transaction as the change that caused it.
import { CompiledQuery } from 'kysely'
import PgBoss from 'pg-boss'
import type { Database, Db, SqlExecutor } from '../db/database.ts'

export interface JobOptions { retryLimit?: number, retryDelay?: number, retryBackoff?: boolean, startAfter?: Date | number, singletonKey?: string }

function executorFor(trx: Db): SqlExecutor {
  return {
    async executeSql(text, values) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []))
      return { rows: result.rows }
    }
  }
}

export class Jobs {
  readonly #boss: PgBoss
  readonly #pollingSeconds: number
  readonly #queues = new Set<string>()
  #running = false

  constructor(database: Database, pollingSeconds: number) {
    this.#boss = new PgBoss({ ...database.boss, schema: 'pgboss', supervise: true, schedule: false, migrate: true } as PgBoss.ConstructorOptions)
    this.#boss.on('error', (error: unknown) => console.error('Job runner error:', error))
    this.#pollingSeconds = pollingSeconds
  }

  async start(): Promise<void> {
    await this.#boss.start()
    this.#running = true
  }

  async stop(): Promise<void> {
    if (!this.#running) return
    this.#running = false
    await this.#boss.stop({ graceful: false, wait: true })
  }

  async #queue(name: string): Promise<void> {
    if (this.#queues.has(name)) return
    await this.#boss.createQueue(name)
    this.#queues.add(name)
  }

  /** Queue a job; pass the transaction that makes the change so both commit together. */
  async send(name: string, data: object, options: JobOptions = {}, trx?: Db): Promise<void> {
    await this.#queue(name)
    await this.#boss.send(name, data, { ...options, ...(trx ? { db: executorFor(trx) } : {}) })
  }

  async work<T extends object>(name: string, handler: (data: T) => Promise<void>): Promise<void> {
    await this.#queue(name)
    await this.#boss.work<T>(name, { pollingIntervalSeconds: this.#pollingSeconds, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await handler(job.data)
    })
  }

  /** For /health: the runner is started and can read its own tables. */
  async healthy(): Promise<boolean> {
    if (!this.#running) return false
    try {
      await this.#boss.getQueues()
      return true
    } catch {
      return false
    }
  }
}
