// The review queue: a twin is held back, shown beside the candidates field by field, and decided once.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { queueForReview, reviewLabels } from '../src/rolls/review.ts'

let harbour: TestHarbour
before(async () => { harbour = await testHarbour() })
after(() => harbour.stop())

const home = { address: '14 Quarry Lane', postcode: 'B31 2PX' }

async function seedRoll() {
  const db = harbour.services.db
  await db.insertInto('organisation').values({ reference: 'URN-991234', name: 'Quarry Lane Primary', type: 'education_setting', urn: '991234' }).execute()
  const rollImport = await db.insertInto('roll_import').values({ source: 'csv', file_name: 'test.csv', as_at: '2026-11-01', urns: ['991234'], pupils: 3, joined: 3, left_roll: 0, imported_by_user_id: null, imported_by_label: 'test' }).returning('id').executeTakeFirstOrThrow()
  const pupil = (ref: string, first: string, dob: string) => ({ pupil_ref: ref, upn: null, urn: '991234', first_name: first, last_name: 'Okonkwo', date_of_birth: dob, gender: '' as const, ...home, on_roll_since: '2026-09-01', last_import_id: rollImport.id })
  await db.insertInto('pupil').values([pupil('Q1', 'Chidinma', '2017-06-14'), pupil('Q2', 'Ebere', '2019-02-03'), { ...pupil('Q3', 'Tobenna', '2012-01-20'), urn: '991234', left_on: '2026-07-20' }]).execute()
  harbour.services.rollMatcher.invalidate()
}

test('a twin not on the roll is held for review, shown field by field, decided once and kept as a label', async () => {
  await seedRoll()
  // Chidinma's twin brother: same home, same birthday, another name
  const child = { firstName: 'Chukwudi', middleNames: '', lastName: 'Okonkwo', dateOfBirth: '2017-06-14', gender: 'M', ...home }
  const result = await harbour.services.rollMatcher.match({ id: 'incident-1/child-1', ...child })
  assert.notEqual(result.band, 'auto', 'a possible twin is never sent automatically')
  assert.ok(result.guards.some((g) => /twin/.test(g)))
  const id = await queueForReview(harbour.services.db, 'test', 'incident-1/child-1', child, result)
  assert.equal(await queueForReview(harbour.services.db, 'test', 'incident-1/child-1', child, result), id, 'queueing the same child again changes nothing')

  const officer = await harbour.person(['encompass_officer'])
  const queue = await harbour.app.inject({ method: 'GET', url: '/review', cookies: officer.cookies })
  assert.equal(queue.statusCode, 200)
  assert.match(queue.body, /1 child waiting/)
  assert.match(queue.body, /Chukwudi Okonkwo/)

  const page = await harbour.app.inject({ method: 'GET', url: `/review/${id}`, cookies: officer.cookies })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Pupil 1: Chidinma Okonkwo,\s+Quarry Lane Primary/)
  assert.match(page.body, /may be a twin/)
  assert.match(page.body, /Exactly the same: strong evidence for/, 'each field says what it tells us')
  const views = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'match-review-view').where('record_id', '=', id).execute()
  assert.equal(views.length, 1, 'looking at the child is audited')
  const chidinma = (await harbour.services.db.selectFrom('pupil').select('id').where('pupil_ref', '=', 'Q1').executeTakeFirstOrThrow()).id
  const pupilViews = await harbour.services.db.selectFrom('audit_event').selectAll().where('record_type', '=', 'pupil').where('record_id', '=', chidinma).execute()
  assert.equal(pupilViews.length, 1, 'each pupil shown is audited under its own record, for "who has looked at this pupil?"')

  const post = (form: Record<string, string>) => harbour.app.inject({ method: 'POST', url: `/review/${id}`, cookies: officer.cookies, payload: { ...form, _csrf: tokenFor(harbour, officer.cookies) } })
  const empty = await post({})
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /Choose the pupil who is this child/)
  const outsider = await post({ decision: 'pupil:00000000-0000-4000-8000-000000000000' })
  assert.match(outsider.body, /Choose one of the pupils shown/)

  const decided = await post({ decision: 'not-on-roll', note: 'Twin brother attends a school outside the area (synthetic)' })
  assert.equal(decided.statusCode, 303)
  assert.match((await harbour.app.inject({ method: 'GET', url: String(decided.headers.location), cookies: officer.cookies })).body, /Your decision is recorded/)
  const again = await post({ decision: `pupil:${(await harbour.services.db.selectFrom('pupil').select('id').where('pupil_ref', '=', 'Q1').executeTakeFirstOrThrow()).id}` })
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /Someone has already decided this child/)

  const row = await harbour.services.db.selectFrom('match_review').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.status, 'not-on-roll')
  assert.equal(row.decided_by_user_id, officer.userId)
  const labels = await reviewLabels(harbour.services.db)
  assert.ok(labels.length >= 1)
  assert.ok(labels.every((label) => label.match === false), 'every candidate shown was not the child')
  const audit = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'match-review-decide').where('record_id', '=', id).execute()
  assert.equal(audit.length, 1)
  assert.equal((audit[0]?.details as Record<string, string>).decision, 'not-on-roll')
  assert.match((await harbour.app.inject({ method: 'GET', url: '/review', cookies: officer.cookies })).body, /no children waiting/)
})

test('a child who left is still found, and shown as "left on"', async () => {
  const result = await harbour.services.rollMatcher.match({ id: 'x', firstName: 'Tobenna', lastName: 'Okonkwo', dateOfBirth: '2012-01-20', ...home })
  assert.equal(result.pupils[0]?.pupilRef, 'Q3')
  assert.equal(result.pupils[0]?.leftOn, '2026-07-20')
})

test('the same child, with the surname in capitals, is matched automatically', async () => {
  const result = await harbour.services.rollMatcher.match({ id: 'y', firstName: 'Ebere', lastName: 'OKONKWO', dateOfBirth: '2019-02-03', ...home })
  assert.equal(result.band, 'auto')
  assert.equal(result.pupils[0]?.pupilRef, 'Q2')
})

test('an import made elsewhere (the command line, another server) is seen within a second, without a restart', async () => {
  const db = harbour.services.db
  const before = await harbour.services.rollMatcher.match({ id: 'z', firstName: 'Adaeze', lastName: 'Nwosu', dateOfBirth: '2016-09-30', address: '2 Cedar Close', postcode: 'B23 5TT' })
  assert.equal(before.band, 'none')
  const rollImport = await db.insertInto('roll_import').values({ source: 'csv', file_name: 'elsewhere.csv', as_at: '2026-11-02', urns: ['991234'], pupils: 1, joined: 1, left_roll: 0, imported_by_user_id: null, imported_by_label: 'another process' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('pupil').values({ pupil_ref: 'Q9', upn: null, urn: '991234', first_name: 'Adaeze', last_name: 'Nwosu', date_of_birth: '2016-09-30', address: '2 Cedar Close', postcode: 'B23 5TT', on_roll_since: '2026-11-02', last_import_id: rollImport.id }).execute()
  // this process checks for a newer import at most once a second
  await sleep(1100)
  const after = await harbour.services.rollMatcher.match({ id: 'z', firstName: 'Adaeze', lastName: 'Nwosu', dateOfBirth: '2016-09-30', address: '2 Cedar Close', postcode: 'B23 5TT' })
  assert.equal(after.band, 'auto')
  assert.equal(after.pupils[0]?.pupilRef, 'Q9')
})
