// Opens Harbour's database: the embedded PGlite (a folder, or memory for tests) or a PostgreSQL server.
// The same Kysely queries and SQL migrations run on both.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { ConnectionLock, PGliteDialect } from './pglite-driver.ts'
import type { Schema } from './schema.ts'

export type Db = Kysely<Schema>

/** What pg-boss needs to run SQL (pg-boss's own `db` option). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
}

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** for pg-boss: a connection string (PostgreSQL) or an executor (PGlite) */
  boss: { connectionString: string } | { db: SqlExecutor }
  close(): Promise<void>
}

// bigint (int8) comes back as a number on both drivers; a date (no time, no zone: a date of birth, an
// "as at" date) as its YYYY-MM-DD text, never as a Date at some midnight in some zone.
pg.types.setTypeParser(20, (value: string) => Number(value))
pg.types.setTypeParser(1082, (value: string) => value)

export class DatabaseInUseError extends Error {}

function holdLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'harbour.pid')
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'))
    if (pid && pid !== process.pid) {
      try {
        process.kill(pid, 0)
        throw new DatabaseInUseError(
          `The embedded database in ${dataDir} is in use by another Harbour process (pid ${pid}). ` +
          'Stop it first (PGlite is one process at a time), or run Harbour on PostgreSQL with DATABASE_URL.'
        )
      } catch (error) {
        if (error instanceof DatabaseInUseError) throw error
        // EPERM: the process exists but belongs to someone else, so it is still in use
        if ((error as NodeJS.ErrnoException).code === 'EPERM') throw new DatabaseInUseError(`The embedded database in ${dataDir} is in use by another user's process (pid ${pid}).`)
        // ESRCH: the process is gone, a stale lock from a crash, safe to take over
      }
    }
  } catch (error) {
    if (error instanceof DatabaseInUseError) throw error
  }
  writeFileSync(lockFile, String(process.pid))
  return () => rmSync(lockFile, { force: true })
}

export async function openDatabase(options: { databaseUrl?: string | undefined, dataDir: string }): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 })
    // An idle connection the server drops (a restart, a failover) is replaced on next use, not fatal.
    pool.on('error', (error) => console.error('Database connection lost:', error.message))
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
    await sql`select 1`.execute(db)
    return {
      db,
      kind: 'postgres',
      boss: { connectionString: options.databaseUrl },
      close: () => db.destroy()
    }
  }

  let releaseLock = () => {}
  let dataDir: string | undefined
  if (options.dataDir !== 'memory') {
    mkdirSync(options.dataDir, { recursive: true })
    releaseLock = holdLock(options.dataDir)
    dataDir = path.join(options.dataDir, 'pgdata')
  }
  const pglite = await PGlite.create(dataDir, { parsers: { 20: (value: string) => Number(value), 1082: (value: string) => value } })
  const lock = new ConnectionLock()
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite, lock) })
  const executor: SqlExecutor = {
    executeSql: (text, values) => lock.run(async () => {
      if (values && values.length > 0) return await pglite.query(text, values)
      const results = await pglite.exec(text)
      return results[results.length - 1] ?? { rows: [] }
    })
  }
  return {
    db,
    kind: 'pglite',
    boss: { db: executor },
    async close() {
      await db.destroy()
      // after whatever is already waiting for the connection
      await lock.run(() => pglite.close())
      releaseLock()
    }
  }
}
