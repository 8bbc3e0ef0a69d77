// Plain SQL migrations, applied in name order, each in its own transaction, recorded once.
import { readdirSync, readFileSync } from 'node:fs'
import { sql } from 'kysely'
import type { Db } from './database.ts'

const folder = new URL('./migrations/', import.meta.url)

export async function migrate(db: Db): Promise<string[]> {
  await sql`create table if not exists harbour_migration (
    name text primary key,
    applied_at timestamptz not null default now()
  )`.execute(db)
  const applied = new Set((await db.selectFrom('harbour_migration').select('name').execute()).map((row) => row.name))
  const pending = readdirSync(folder).filter((file) => file.endsWith('.sql') && !applied.has(file)).sort()
  for (const file of pending) {
    const text = readFileSync(new URL(file, folder), 'utf8')
    await db.transaction().execute(async (trx) => {
      await sql.raw(text).execute(trx)
      await trx.insertInto('harbour_migration').values({ name: file }).execute()
    })
  }
  return pending
}
