// The audit trail is append-only and tamper-evident, and an auditor can ask who looked at a child.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { testHarbour } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { appendAudit, appendAuditMany, canonicalJson, verifyAuditChain } from '../src/platform/audit/audit.ts'
import { todayInLondon } from '../src/platform/time/dates.ts'

let harbour: TestHarbour
before(async () => { harbour = await testHarbour() })
after(() => harbour.stop())

const db = () => harbour.services.db

async function asOwner(work: () => Promise<unknown>) {
  await sql`alter table audit_event disable trigger audit_event_no_update`.execute(db())
  try {
    await work()
  } finally {
    await sql`alter table audit_event enable trigger audit_event_no_update`.execute(db())
  }
}

test('canonical JSON does not depend on key order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }), canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }))
  assert.notEqual(canonicalJson({ a: 1 }), canonicalJson({ a: '1' }))
})

test('entries chain: each carries the hash of the one before, and the chain verifies', async () => {
  for (let i = 0; i < 5; i++) {
    await appendAudit(db(), { actor: { label: `tester${i}@test.harbour.invalid` }, action: 'child-record-view', recordType: 'child', recordId: `chain-${i}`, details: { n: i, nested: { b: 2, a: 1 } } })
  }
  const rows = await db().selectFrom('audit_event').select(['id', 'hash', 'prev_hash']).orderBy('id').execute()
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i]?.prev_hash, rows[i - 1]?.hash)
  const verdict = await verifyAuditChain(db())
  assert.deepEqual(verdict, { intact: true, entries: rows.length })
})

test('entries written together chain in the order given, with nulls, quotes and other actors, and the chain verifies', async () => {
  const before = await db().selectFrom('audit_event').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const entries = Array.from({ length: 7 }, (_, i) => ({
    actor: i % 2 === 0 ? { label: `batch${i}@test.harbour.invalid` } : { label: 'API key "records" (HPF)', organisationId: undefined },
    action: 'incident-create', recordType: 'incident', recordId: `batch-${i}`, ...(i === 3 ? { ip: '192.0.2.1', requestId: 'r-3', purpose: 'a "quoted" purpose, with \\ and é' } : {}),
    details: { n: i, text: i === 5 ? 'line one\nline "two"' : null, list: [i, { z: 1, a: 2 }] }
  }))
  await appendAuditMany(db(), entries)
  const rows = await db().selectFrom('audit_event').selectAll().where('record_id', 'like', 'batch-%').orderBy('id').execute()
  assert.deepEqual(rows.map((r) => r.record_id), entries.map((e) => e.recordId))
  assert.equal(rows[0]?.prev_hash, before?.hash)
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i]?.prev_hash, rows[i - 1]?.hash)
  assert.equal(rows[3]?.purpose, 'a "quoted" purpose, with \\ and é')
  assert.deepEqual(rows[5]?.details, entries[5]?.details)
  assert.deepEqual(await verifyAuditChain(db()), { intact: true, entries: Number((await db().selectFrom('audit_event').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) })
})

test('the database refuses to change or remove an entry', async () => {
  await assert.rejects(sql`update audit_event set action = 'nothing'`.execute(db()), /append-only/)
  await assert.rejects(sql`delete from audit_event`.execute(db()), /append-only/)
  await assert.rejects(sql`truncate audit_event`.execute(db()), /append-only/)
})

test('an entry edited behind the trigger\'s back is found and named', async () => {
  const target = await db().selectFrom('audit_event').select('id').where('record_id', '=', 'chain-2').executeTakeFirstOrThrow()
  await asOwner(() => sql`update audit_event set actor_label = 'someone-else' where id = ${target.id}`.execute(db()))
  const verdict = await verifyAuditChain(db(), 2)
  assert.equal(verdict.intact, false)
  assert.ok(!verdict.intact && verdict.brokenAt === target.id, `names entry ${target.id}`)
  assert.ok(!verdict.intact && /edited/.test(verdict.reason))
  await asOwner(() => sql`update audit_event set actor_label = 'tester2@test.harbour.invalid' where id = ${target.id}`.execute(db()))
  assert.equal((await verifyAuditChain(db())).intact, true, 'putting it back mends the chain')
})

test('an entry removed from the middle is found: the next one no longer fits', async () => {
  const target = await db().selectFrom('audit_event').select('id').where('record_id', '=', 'chain-3').executeTakeFirstOrThrow()
  const next = await db().selectFrom('audit_event').select('id').where('record_id', '=', 'chain-4').executeTakeFirstOrThrow()
  await asOwner(() => sql`delete from audit_event where id = ${target.id}`.execute(db()))
  const verdict = await verifyAuditChain(db())
  assert.ok(!verdict.intact)
  assert.equal(verdict.brokenAt, next.id)
  assert.match(verdict.reason, /removed, inserted or reordered/)
})

test('an auditor finds everyone who looked at a child, and the search is itself audited', async () => {
  const fresh = await testHarbour()
  try {
    const a = await fresh.person(['social_worker'])
    const b = await fresh.person(['designated_safeguarding_lead'], { organisationType: 'education_setting' })
    const auditor = await fresh.person(['auditor'])
    const emailOf = async (id: string) => (await fresh.services.db.selectFrom('app_user').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email
    const childId = '3b6c1f0e-5a1d-4e2b-9c1a-000000000001'
    await appendAudit(fresh.services.db, { actor: { userId: a.userId, label: await emailOf(a.userId) }, action: 'child-record-view', recordType: 'child', recordId: childId })
    await appendAudit(fresh.services.db, { actor: { userId: b.userId, label: await emailOf(b.userId) }, action: 'child-record-view', recordType: 'child', recordId: childId })
    await appendAudit(fresh.services.db, { actor: { userId: b.userId, label: await emailOf(b.userId) }, action: 'child-record-view', recordType: 'child', recordId: 'another-child' })

    const response = await fresh.app.inject({ method: 'GET', url: `/audit?recordType=child&recordId=${childId}`, cookies: auditor.cookies })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /2 entries/)
    assert.ok(response.body.includes(await emailOf(a.userId)))
    assert.ok(response.body.includes(await emailOf(b.userId)))
    assert.ok(!response.body.includes('another-child'))
    const searches = await fresh.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'audit-search').where('actor_user_id', '=', auditor.userId).execute()
    assert.equal(searches.length, 1)
    assert.equal((searches[0]?.details.filters as Record<string, string>).recordId, childId)

    const notADay = await fresh.app.inject({ method: 'GET', url: '/audit?to=2026-02-31', cookies: auditor.cookies })
    assert.equal(notADay.statusCode, 400, 'a date that does not exist is a clear error, not a crash')
    const today = await fresh.app.inject({ method: 'GET', url: `/audit?recordType=child&recordId=${childId}&from=${todayInLondon()}&to=${todayInLondon()}`, cookies: auditor.cookies })
    assert.match(today.body, /2 entries/, 'entries made today are inside today')
    const bad = await fresh.app.inject({ method: 'GET', url: '/audit?from=yesterday', cookies: auditor.cookies })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Enter the &quot;from&quot; date as YYYY-MM-DD/)
  } finally {
    await fresh.stop()
  }
})
