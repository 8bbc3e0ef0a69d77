// The audit trail: append-only (a database trigger refuses updates and deletes) and tamper-evident
// (each entry carries the hash of the one before it, so an edited, inserted or removed entry breaks the chain).
import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { LOCKS } from '../db/locks.ts'

export interface Actor {
  userId?: string | undefined
  apiKeyId?: string | undefined
  organisationId?: string | undefined
  /** readable: an email address, an API key's name, or "anonymous" */
  label: string
}

export interface AuditEntry {
  actor: Actor
  action: string
  outcome?: 'success' | 'failure' | 'denied'
  recordType?: string | undefined
  recordId?: string | undefined
  /** why, where a share needs a purpose */
  purpose?: string | undefined
  ip?: string | undefined
  requestId?: string | undefined
  details?: Record<string, unknown>
}

const GENESIS = '0'.repeat(64)
const AUDIT_LOCK = LOCKS.auditChain

/** JSON with object keys sorted, so the hash does not depend on how the database orders jsonb keys. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

interface HashedFields {
  occurred_at: Date
  actor_user_id: string | null
  actor_api_key_id: string | null
  actor_organisation_id: string | null
  actor_label: string
  action: string
  outcome: string
  record_type: string | null
  record_id: string | null
  purpose: string | null
  ip: string | null
  request_id: string | null
  details: Record<string, unknown>
  prev_hash: string
}

export function entryHash(fields: HashedFields): string {
  return createHash('sha256').update(canonicalJson({ ...fields, occurred_at: fields.occurred_at.toISOString() })).digest('hex')
}

export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await appendAuditMany(db, [entry])
}

/**
 * Entries in the order given, chained one after another (a batch of incidents received together writes
 * theirs in one statement). In the caller's transaction when given one.
 */
export async function appendAuditMany(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => appendAuditMany(trx, entries))
    return
  }
  // The chain's lock is held from here to the commit, so it is held as briefly as can be: each entry is
  // hashed with a stand-in for the previous entry's hash, and one statement (after the lock, so it sees
  // the last entry committed) reads the last hash, and, entry by entry, puts the previous hash in and
  // hashes the result in the database: the same sha256 of the same canonical JSON that entryHash works
  // out, so the chain verifies as before.
  const occurredAt = new Date()
  const rows = entries.map((entry) => {
    const stand = randomBytes(16).toString('hex')
    const fields: HashedFields = {
      occurred_at: occurredAt,
      actor_user_id: entry.actor.userId ?? null,
      actor_api_key_id: entry.actor.apiKeyId ?? null,
      actor_organisation_id: entry.actor.organisationId ?? null,
      actor_label: entry.actor.label,
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      record_type: entry.recordType ?? null,
      record_id: entry.recordId ?? null,
      purpose: entry.purpose ?? null,
      ip: entry.ip ?? null,
      request_id: entry.requestId ?? null,
      details: entry.details ?? {},
      prev_hash: stand
    }
    const canonical = canonicalJson({ ...fields, occurred_at: fields.occurred_at.toISOString() })
    const marker = `"prev_hash":"${stand}"`
    const at = canonical.indexOf(marker)
    if (at < 0 || canonical.indexOf(marker, at + 1) >= 0) throw new Error('The audit entry could not be hashed')
    return { fields, before: `${canonical.slice(0, at)}"prev_hash":"`, after: `"${canonical.slice(at + marker.length)}` }
  })
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick)
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db)
  await sql`with recursive
      entry as (
        select * from unnest(${column((r) => r.fields.actor_user_id)}::uuid[], ${column((r) => r.fields.actor_api_key_id)}::uuid[],
          ${column((r) => r.fields.actor_organisation_id)}::uuid[], ${column((r) => r.fields.actor_label)}::text[], ${column((r) => r.fields.action)}::text[],
          ${column((r) => r.fields.outcome)}::text[], ${column((r) => r.fields.record_type)}::text[], ${column((r) => r.fields.record_id)}::text[],
          ${column((r) => r.fields.purpose)}::text[], ${column((r) => r.fields.ip)}::text[], ${column((r) => r.fields.request_id)}::text[],
          ${column((r) => JSON.stringify(r.fields.details))}::text[], ${column((r) => r.before)}::text[], ${column((r) => r.after)}::text[])
          with ordinality as e(actor_user_id, actor_api_key_id, actor_organisation_id, actor_label, action, outcome, record_type, record_id,
            purpose, ip, request_id, details, before, after, n)),
      chain(n, prev_hash, hash) as (
        select 0::bigint, null::text, coalesce((select hash from audit_event order by id desc limit 1), ${GENESIS}::text)
        union all
        select e.n, c.hash, encode(sha256(convert_to(e.before || c.hash || e.after, 'UTF8')), 'hex') from chain c join entry e on e.n = c.n + 1)
    insert into audit_event (occurred_at, actor_user_id, actor_api_key_id, actor_organisation_id, actor_label, action, outcome,
      record_type, record_id, purpose, ip, request_id, details, prev_hash, hash)
    select ${occurredAt}::timestamptz, e.actor_user_id, e.actor_api_key_id, e.actor_organisation_id, e.actor_label, e.action, e.outcome,
      e.record_type, e.record_id, e.purpose, e.ip, e.request_id, e.details::jsonb, c.prev_hash, c.hash
    from entry e join chain c on c.n = e.n order by e.n`.execute(db)
}

export type ChainVerdict =
  | { intact: true, entries: number }
  | { intact: false, entries: number, brokenAt: number, reason: string }

/** Walks the whole chain in order and names the first entry that does not fit. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainVerdict> {
  let previous = GENESIS
  let afterId = 0
  let entries = 0
  for (;;) {
    const rows = await db.selectFrom('audit_event').selectAll().where('id', '>', afterId).orderBy('id').limit(batchSize).execute()
    if (rows.length === 0) return { intact: true, entries }
    for (const row of rows) {
      entries++
      if (row.prev_hash !== previous) {
        return { intact: false, entries, brokenAt: row.id, reason: 'it does not carry the hash of the entry before it (an entry was removed, inserted or reordered)' }
      }
      const { id: _id, hash, ...fields } = row
      if (entryHash(fields) !== hash) {
        return { intact: false, entries, brokenAt: row.id, reason: 'its contents do not match its hash (the entry was edited)' }
      }
      previous = hash
      afterId = row.id
    }
  }
}

export interface AuditFilters {
  recordType?: string | undefined
  recordId?: string | undefined
  actor?: string | undefined
  action?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
}

export async function searchAudit(db: Db, filters: AuditFilters, page: number, pageSize = 50) {
  let query = db.selectFrom('audit_event')
  if (filters.recordType) query = query.where('record_type', '=', filters.recordType)
  // a list page records the records it showed in details.shown: "who has seen this child?" finds those too
  if (filters.recordId) {
    const recordId = filters.recordId
    query = query.where((eb) => eb.or([eb('record_id', '=', recordId), eb(sql`details->'shown'`, '@>', sql`${JSON.stringify([recordId])}::jsonb`)]))
  }
  if (filters.actor) query = query.where('actor_label', 'ilike', `%${filters.actor.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)
  if (filters.action) query = query.where('action', '=', filters.action)
  if (filters.from) query = query.where('occurred_at', '>=', filters.from)
  if (filters.to) query = query.where('occurred_at', '<', filters.to)
  const [{ total }] = await query.select((eb) => eb.fn.countAll<number>().as('total')).execute() as [{ total: number }]
  const rows = await query.selectAll().orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute()
  return { rows, total: Number(total), page, pageSize }
}
