// Background jobs (deliveries, deadlines, escalations, reminders) on pg-boss, in Harbour's own database,
// so a job can be committed in the same transaction as the change that caused it.
import { CompiledQuery } from 'kysely'
import PgBoss from 'pg-boss'
import type { Database, Db, SqlExecutor } from '../db/database.ts'
import { eachLimited } from '../concurrency.ts'

/** Jobs fetched at a time by a worker, and how many of them are handled at once. */
const WORK_BATCH = 20
const WORK_CONCURRENCY = 4

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
    // work in hand (a batch of deliveries, say) finishes before the database closes under it
    await this.#boss.stop({ graceful: true, wait: true, timeout: 10_000 })
  }

  #known(name: string): void {
    if (!this.#queues.has(name)) throw new Error(`Job queue "${name}" is not declared: add it to the list the job runner is created with`)
  }

  /** Queue a job; pass the transaction that makes the change so both commit together. */
  async send(name: string, data: object, options: JobOptions = {}, trx?: Db): Promise<void> {
    this.#known(name)
    await this.#boss.send(name, data, { ...options, ...(trx ? { db: executorFor(trx) } : {}) })
  }

  /** Many jobs in one statement (pg-boss's insert); pass the transaction that makes the change so all commit together. */
  async sendMany(jobs: Array<{ name: string, data: object, options?: JobOptions }>, trx?: Db): Promise<void> {
    if (jobs.length === 0) return
    for (const job of jobs) this.#known(job.name)
    const rows: PgBoss.JobInsert[] = jobs.map(({ name, data, options = {} }) => {
      const { startAfter, ...rest } = options
      return {
        name, data, ...rest,
        // insert takes a time (ending in Z) or an interval, where send takes a Date or seconds
        ...(startAfter === undefined ? {} : { startAfter: startAfter instanceof Date ? startAfter.toISOString() : `${startAfter} seconds` })
      }
    })
    await this.#boss.insert(rows, trx ? { db: executorFor(trx) } : {})
  }

  /**
   * Runs `handler` for each job of the queue: up to WORK_BATCH fetched at a time and handled
   * concurrently (at most WORK_CONCURRENCY at once). Each job succeeds or fails on its own: a failed one
   * is retried under its retry settings, the rest of its batch completes.
   */
  async work<T extends object>(name: string, handler: (data: T) => Promise<void>): Promise<void> {
    await this.workMany<T>(name, async (items) => {
      const failures: Array<unknown> = new Array(items.length).fill(undefined)
      await eachLimited(items, WORK_CONCURRENCY, async (item, i) => {
        try {
          await handler(item)
        } catch (error) {
          failures[i] = error ?? new Error('failed')
        }
      })
      return failures
    })
  }

  /**
   * Runs `handler` on the queue's jobs a batch at a time (up to `batchSize`), for work that is cheaper
   * done together (one read and one write for many). The handler answers, for each job in order,
   * undefined when it succeeded or the error it failed with: each job still succeeds or fails on its
   * own (a failed one is retried under its retry settings, the rest complete). A handler that throws
   * fails the whole batch. After a full batch the next is fetched at once rather than after the polling
   * interval, so a backlog is worked through.
   */
  async workMany<T extends object>(name: string, handler: (items: T[]) => Promise<Array<unknown>>, batchSize = WORK_BATCH): Promise<void> {
    this.#known(name)
    // known once work() answers (a first batch may be handled before then)
    const worker: { id?: string } = {}
    worker.id = await this.#boss.work<T>(name, { pollingIntervalSeconds: this.#pollingSeconds, batchSize }, async (jobs) => {
      const failures = await handler(jobs.map((job) => job.data))
      for (const [i, job] of jobs.entries()) {
        const error = failures[i]
        // failed by itself (retried later); the batch's others are completed when this returns
        if (error !== undefined) await this.#boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) })
      }
      if (jobs.length >= batchSize && worker.id && this.#running) this.#boss.notifyWorker(worker.id)
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
