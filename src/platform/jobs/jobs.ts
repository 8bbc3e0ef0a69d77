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
  readonly #queues: ReadonlySet<string>
  #running = false

  /**
   * Every queue is named here and created at start: creating one later could wait for the database
   * connection that the caller's transaction holds (on PGlite there is only one).
   */
  constructor(database: Database, pollingSeconds: number, queues: string[]) {
    this.#queues = new Set(queues)
    this.#boss = new PgBoss({ ...database.boss, schema: 'pgboss', supervise: true, schedule: false, migrate: true } as PgBoss.ConstructorOptions)
    this.#boss.on('error', (error: unknown) => console.error('Job runner error:', error))
    this.#pollingSeconds = pollingSeconds
  }

  async start(): Promise<void> {
    await this.#boss.start()
    for (const queue of this.#queues) await this.#boss.createQueue(queue)
    this.#running = true
  }

  async stop(): Promise<void> {
    if (!this.#running) return
    this.#running = false
    await this.#boss.stop({ graceful: false, wait: true })
  }

  #known(name: string): void {
    if (!this.#queues.has(name)) throw new Error(`Job queue "${name}" is not declared: add it to the list the job runner is created with`)
  }

  /** Queue a job; pass the transaction that makes the change so both commit together. */
  async send(name: string, data: object, options: JobOptions = {}, trx?: Db): Promise<void> {
    this.#known(name)
    await this.#boss.send(name, data, { ...options, ...(trx ? { db: executorFor(trx) } : {}) })
  }

  async work<T extends object>(name: string, handler: (data: T) => Promise<void>): Promise<void> {
    this.#known(name)
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
