// Plain SQL migrations, applied in name order and recorded once.
import { readdirSync, readFileSync } from 'node:fs'
import { sql } from 'kysely'
import type { Db } from './database.ts'
import { LOCKS } from './locks.ts'

const folder = new URL('./migrations/', import.meta.url)

const MIGRATION_LOCK = LOCKS.migration

/**
 * Applies what is pending, all in one transaction that holds an advisory lock, so that two processes
 * starting at once (two web instances, a command and the server) cannot both apply the same migration.
 */
export async function migrate(db: Db): Promise<string[]> {
  return await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx)
    await sql`create table if not exists harbour_migration (
      name text primary key,
      applied_at timestamptz not null default now()
    )`.execute(trx)
    const applied = new Set((await trx.selectFrom('harbour_migration').select('name').execute()).map((row) => row.name))
    const pending = readdirSync(folder).filter((file) => file.endsWith('.sql') && !applied.has(file)).sort()
    for (const file of pending) {
      await sql.raw(readFileSync(new URL(file, folder), 'utf8')).execute(trx)
      await trx.insertInto('harbour_migration').values({ name: file }).execute()
    }
    return pending
  })
}
