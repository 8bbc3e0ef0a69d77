// A Kysely driver for PGlite (PostgreSQL compiled to WASM, in process).
// PGlite has one connection, so every use of it (Kysely queries, transactions, pg-boss) goes through
// one lock: a transaction holds the connection until it commits or rolls back.
import type { PGlite, Results } from '@electric-sql/pglite'
import { CompiledQuery } from 'kysely'
import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely'
import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * The one connection, to one holder at a time (a transaction, or a single query), in the order asked.
 * Each holder gets it after a turn of the event loop: a PGlite statement runs without giving the event
 * loop one, so back-to-back work (a job worker draining a backlog, batch after batch) would otherwise
 * hold up every request waiting on the network meanwhile.
 */
export class ConnectionLock {
  #tail: Promise<void> = Promise.resolve()

  acquire(): Promise<() => void> {
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    const ready = this.#tail.then(async () => {
      await new Promise((resolve) => setImmediate(resolve))
      return release
    })
    this.#tail = this.#tail.then(() => held)
    return ready
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire()
    try {
      return await work()
    } finally {
      release()
    }
  }
}

function lastResult<R>(results: Results[]): Results<R> {
  return (results[results.length - 1] ?? { rows: [], fields: [] }) as Results<R>
}

class PGliteConnection implements DatabaseConnection {
  readonly #pg: PGlite
  readonly release: () => void

  constructor(pg: PGlite, release: () => void) {
    this.#pg = pg
    this.release = release
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Statements without parameters go through exec, which also runs several statements (migrations).
    const result = compiled.parameters.length > 0
      ? await this.#pg.query<R>(compiled.sql, [...compiled.parameters])
      : lastResult<R>(await this.#pg.exec(compiled.sql))
    const affected = result.affectedRows
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {})
    }
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database')
  }
}

class PGliteDriver implements Driver {
  readonly #pg: PGlite
  readonly #lock: ConnectionLock

  constructor(pg: PGlite, lock: ConnectionLock) {
    this.#pg = pg
    this.#lock = lock
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lock.acquire()
    return new PGliteConnection(this.#pg, release)
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ''
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    ;(connection as PGliteConnection).release()
  }

  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  readonly #pg: PGlite
  readonly #lock: ConnectionLock

  constructor(pg: PGlite, lock: ConnectionLock) {
    this.#pg = pg
    this.#lock = lock
  }

  createAdapter() { return new PostgresAdapter() }
  createDriver() { return new PGliteDriver(this.#pg, this.#lock) }
  createQueryCompiler() { return new PostgresQueryCompiler() }
  createIntrospector(db: Kysely<unknown>) { return new PostgresIntrospector(db) }
}
