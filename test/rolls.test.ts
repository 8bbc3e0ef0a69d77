// Pupil roll import: CSV and Common Transfer File, all or nothing with every bad row named by line and
// field, a re-import replacing one setting's roll (a pupil who left stays findable as "left on"), the
// audit entry, the upload page (multipart, with its CSRF token), and `npx harbour import roll`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { commandLine, freshPostgresDatabase, onPostgres, testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import type { Database } from '../src/platform/db/database.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { RollImportError } from '../src/rolls/roll-import.ts'
import { MAX_PROBLEMS } from '../src/platform/import-problems.ts'
import { todayInLondon } from '../src/platform/time/dates.ts'
import type { RollImportProgress, RollImportSuccess } from '../src/rolls/roll-import.ts'
import { ROLL_COLUMNS } from '../src/rolls/link-files.ts'
import { generateRoll, toCsv } from '../src/linkage/synthetic.ts'
import { CSRF_COOKIE } from '../src/platform/http/server.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CTF_FIXTURE = path.join(ROOT, 'test/fixtures/roll-ctf.xml')
const HEADER = ROLL_COLUMNS.join(',')
const actor = { label: 'roll import test' }

/** A date some days before today (London), so as-at dates are never in the future wherever the tests run. */
function daysAgo(days: number): string {
  const [y, m, d] = todayInLondon().split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10)
}

let harbour: TestHarbour
let folder = ''

before(async () => {
  harbour = await testHarbour()
  folder = mkdtempSync(path.join(tmpdir(), 'harbour-rolls-test-'))
})
after(async () => {
  await harbour.stop()
  rmSync(folder, { recursive: true, force: true })
})

function file(name: string, lines: string[]): string {
  const target = path.join(folder, name)
  writeFileSync(target, `${lines.join('\n')}\n`)
  return target
}

async function counts() {
  const db = harbour.services.db
  const pupils = await db.selectFrom('pupil').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const imports = await db.selectFrom('roll_import').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const audits = await db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'roll-import').executeTakeFirstOrThrow()
  return { pupils: Number(pupils.n), imports: Number(imports.n), audits: Number(audits.n) }
}

/** A setting's pupils, dates as text, by reference. */
async function pupilsOf(urn: string) {
  const rows = await harbour.services.db.selectFrom('pupil')
    .select(['pupil_ref', 'upn', 'urn', 'first_name', 'middle_names', 'last_name', 'gender', 'address', 'postcode', 'last_import_id', 'updated_at'])
    .select([
      sql<string>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('date_of_birth'),
      sql<string>`to_char(on_roll_since, 'YYYY-MM-DD')`.as('on_roll_since'),
      sql<string | null>`to_char(left_on, 'YYYY-MM-DD')`.as('left_on')
    ])
    .where('urn', '=', urn).orderBy('pupil_ref').execute()
  return new Map(rows.map((row) => [row.pupil_ref, row]))
}

function succeeded(result: Awaited<ReturnType<TestHarbour['services']['rollImports']['importFile']>>): RollImportSuccess {
  assert.ok(result.ok, `the import failed:\n${result.ok ? '' : result.problems.join('\n')}`)
  return result
}

const FIRST_AS_AT = daysAgo(60)
const SECOND_AS_AT = daysAgo(30)
const THIRD_AS_AT = daysAgo(2)

test('a clean CSV of two settings imports every pupil, with the import recorded and audited', async () => {
  const before = await counts()
  const progress: RollImportProgress[] = []
  const roll = file('two-settings.csv', [
    HEADER,
    'R1,K998201000011,998201,Amelie,,Hartwell,2016-03-27,F,12 Quillet Road,b97  4zt',
    'R2,,998201, Jonah ,Tomos,Brightwater,2018-11-02,M,"Flat 3, 8 Ember Lane",B97 2WD',
    'R3,t99820100003a,998201,Sami,,Okafor-Lind,2017-07-14,X,7 Brindlemoor Close,B98 1XQ',
    'S1,K998202000017,998202,Priya,,Vantongeren,2015-01-09,,4 Larch Walk,B96 3AA',
    'S2,,998202,Dmitri,,Ellory,2019-05-30,m,22 Cobble Street,B96 3AB'
  ])
  const result = succeeded(await harbour.services.rollImports.importFile({ path: roll, asAt: FIRST_AS_AT, actor, onProgress: (p) => progress.push(p) }))
  assert.deepEqual({ source: result.source, fileName: result.fileName, asAt: result.asAt, urns: result.urns, pupils: result.pupils, joined: result.joined, left: result.left },
    { source: 'csv', fileName: 'two-settings.csv', asAt: FIRST_AS_AT, urns: ['998201', '998202'], pupils: 5, joined: 5, left: 0 })
  assert.ok(progress.some((p) => p.phase === 'validating' && p.rows === 5), 'progress reports the rows checked')
  assert.ok(progress.some((p) => p.phase === 'writing' && p.rows === 5 && p.total === 5), 'progress reports the rows written')

  const after = await counts()
  assert.deepEqual(after, { pupils: before.pupils + 5, imports: before.imports + 1, audits: before.audits + 1 })

  const first = await pupilsOf('998201')
  const r1 = first.get('R1')!
  assert.deepEqual({ upn: r1.upn, first: r1.first_name, last: r1.last_name, dob: r1.date_of_birth, gender: r1.gender, address: r1.address, postcode: r1.postcode, since: r1.on_roll_since, left: r1.left_on },
    { upn: 'K998201000011', first: 'Amelie', last: 'Hartwell', dob: '2016-03-27', gender: 'F', address: '12 Quillet Road', postcode: 'B97 4ZT', since: FIRST_AS_AT, left: null })
  assert.equal(first.get('R2')?.upn, null, 'an empty UPN is stored as none')
  assert.equal(first.get('R2')?.first_name, 'Jonah', 'values are trimmed')
  assert.equal(first.get('R2')?.address, 'Flat 3, 8 Ember Lane')
  assert.equal(first.get('R3')?.upn, 'T99820100003A', 'a temporary UPN (letter, 11 digits, letter) is accepted, in capitals')
  assert.equal((await pupilsOf('998202')).get('S2')?.gender, 'M')

  const row = await harbour.services.db.selectFrom('roll_import').selectAll().select(sql<string>`to_char(as_at, 'YYYY-MM-DD')`.as('as_at_text'))
    .where('id', '=', result.importId).executeTakeFirstOrThrow()
  assert.deepEqual({ source: row.source, file: row.file_name, asAt: row.as_at_text, urns: row.urns, pupils: row.pupils, joined: row.joined, left: row.left_roll, by: row.imported_by_label },
    { source: 'csv', file: 'two-settings.csv', asAt: FIRST_AS_AT, urns: ['998201', '998202'], pupils: 5, joined: 5, left: 0, by: actor.label })

  const audit = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'roll-import').where('record_id', '=', result.importId).executeTakeFirstOrThrow()
  assert.equal(audit.record_type, 'roll-import')
  assert.equal(audit.actor_label, actor.label)
  assert.equal(audit.outcome, 'success')
  assert.deepEqual(audit.details, { source: 'csv', fileName: 'two-settings.csv', asAt: FIRST_AS_AT, settings: 2, pupils: 5, joined: 5, left: 0 })
})

test('a roll larger than one batch is written in batches, each reported', async () => {
  // a synthetic council roll, its settings moved to URNs 97xxxx so they meet no other test's
  const roll = generateRoll({ pupils: 25_000, seed: 3 }).map((p) => ({ pupil_id: p.pupilId, upn: p.upn, urn: `97${p.urn.slice(2)}`, first_name: p.firstName, middle_names: p.middleNames, last_name: p.lastName, date_of_birth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode }))
  const target = path.join(folder, 'council.csv')
  writeFileSync(target, toCsv(roll, [...ROLL_COLUMNS]))
  const written: number[] = []
  const result = succeeded(await harbour.services.rollImports.importFile({ path: target, asAt: FIRST_AS_AT, actor, onProgress: (p) => { if (p.phase === 'writing') written.push(p.rows) } }))
  const urns = [...new Set(roll.map((p) => p.urn))].sort()
  assert.deepEqual({ pupils: result.pupils, joined: result.joined, left: result.left, urns: result.urns }, { pupils: 25_000, joined: 25_000, left: 0, urns })
  assert.deepEqual(written, [10_000, 20_000, 25_000])
  const stored = await harbour.services.db.selectFrom('pupil').select((eb) => eb.fn.countAll<number>().as('n')).where('last_import_id', '=', result.importId).executeTakeFirstOrThrow()
  assert.equal(Number(stored.n), 25_000)
})

test('a file with bad rows reports every one by line and field, and writes nothing', async () => {
  const before = await counts()
  const roll = file('bad.csv', [
    HEADER,
    'B1,,998301,Ana,,Lowe,2016-02-30,F,1 Test Row,B1 1AA', // 2: not a real date
    'B2,,998301,Ben,,Marsh,2016-04-01,Q,"2 Test Row,', // 3: a gender Harbour does not know; the address runs on to line 4
    'Upper Flat",B1 1AA',
    'B3,,998301,,,North,2016-05-01,M,3 Test Row,B1 1AA', // 5: no first name
    'B4,,99830,Cara,,Oak,2016-06-01,F,4 Test Row,B1 1AA', // 6: a URN of 5 digits
    'B1,,998301,Dan,,Pike,2016-07-01,M,5 Test Row,B1 1AA', // 7: the same pupil as line 2
    'B5,X123,998301,Eve,,Quill,2016-08-01,F,6 Test Row,B1 1AA', // 8: not a UPN
    'B6,,998301,Fay,,Rowe,01/02/2016,F,7 Test Row,B1 1AA', // 9: not YYYY-MM-DD
    'B7,,998301,Gus,,Shaw,2016-09-01,M,8 Test Row,B1 1AA,extra', // 10: one value too many
    'B8,,998301,Hal,,,2016-10-01,M,9 Test Row,B1 1AA' // 11: no last name
  ])
  const result = await harbour.services.rollImports.importFile({ path: roll, asAt: FIRST_AS_AT, actor })
  assert.equal(result.ok, false)
  if (result.ok) return
  const expected = [
    /^line 2: date_of_birth — "2016-02-30" is not a real date$/,
    /^line 3: gender — "Q" is not a gender Harbour knows: use F, M, X or leave it empty$/,
    /^line 5: first_name — is empty/,
    /^line 6: urn — "99830" is not a URN: it must be 6 digits$/,
    /^line 7: pupil_id — "B1" at URN 998301 is also on line 2/,
    /^line 8: upn — "X123" is not a UPN/,
    /^line 9: date_of_birth — "01\/02\/2016" is not a date written YYYY-MM-DD/,
    /^line 10: row — has 11 values where the header has 10 columns/,
    /^line 11: last_name — is empty/
  ]
  assert.equal(result.problems.length, expected.length, result.problems.join('\n'))
  expected.forEach((pattern, i) => assert.match(result.problems[i] ?? '', pattern))
  assert.equal(result.problemCount, expected.length)
  assert.deepEqual(await counts(), { ...before, audits: before.audits + 1 }, 'no pupil and no import was written; the refusal is audited')
  const refusal = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'roll-import').orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.equal(refusal.outcome, 'failure')
  assert.equal((refusal.details as Record<string, unknown>).problems, expected.length)
  assert.equal((await pupilsOf('998301')).size, 0)
})

test('a file with very many problems lists the first ones and counts them all', async () => {
  const rows = Array.from({ length: MAX_PROBLEMS + 50 }, (_, i) => `P${i},,998302,Name,,Surname,2016-13-01,F,1 Row,B1 1AA`)
  const result = await harbour.services.rollImports.importFile({ path: file('many.csv', [HEADER, ...rows]), asAt: FIRST_AS_AT, actor })
  assert.equal(result.ok, false)
  if (result.ok) return
  assert.equal(result.problems.length, MAX_PROBLEMS)
  assert.equal(result.problemCount, MAX_PROBLEMS + 50)
  assert.match(result.problems[MAX_PROBLEMS - 1] ?? '', new RegExp(`^line ${MAX_PROBLEMS + 1}: date_of_birth`))
})

test('a file without the roll columns, or without pupils, is refused', async () => {
  const missing = await harbour.services.rollImports.importFile({ path: file('no-postcode.csv', ['pupil_id,upn,urn,first_name,middle_names,last_name,date_of_birth,gender,address', 'A,,998303,A,,B,2016-01-01,F,x']), actor })
  assert.equal(missing.ok, false)
  assert.match(missing.ok ? '' : missing.problems.join('\n'), /^line 1: header — missing column postcode/)
  const empty = await harbour.services.rollImports.importFile({ path: file('header-only.csv', [HEADER]), actor })
  assert.deepEqual(empty.ok ? [] : empty.problems, ['line 2: file — has no pupils'])
  await assert.rejects(harbour.services.rollImports.importFile({ path: file('future.csv', [HEADER]), asAt: '2999-01-01', actor }), RollImportError)
  await assert.rejects(harbour.services.rollImports.importFile({ path: file('future.csv', [HEADER]), asAt: '2026-02-30', actor }), /not a real date/)
})

test('re-importing one setting\'s roll replaces it: a pupil who left is "left on" the new date, changes are taken, other settings are untouched', async () => {
  const otherBefore = await pupilsOf('998202')
  const beforeRows = await pupilsOf('998201')
  const roll = file('first-school-later.csv', [
    HEADER,
    'R1,K998201000011,998201,Amelie,,Hartwell,2016-03-27,F,12 Quillet Road,B97 4ZT', // unchanged
    'R2,,998201,Jonah,Tomos,Brightwater,2018-11-02,M,"Flat 4, 8 Ember Lane",B97 2WD', // moved flat
    'R4,K998201000044,998201,Noor,,Haddad,2019-02-18,F,3 Wren Court,B97 6PL' // new; R3 is no longer on the roll
  ])
  const result = succeeded(await harbour.services.rollImports.importFile({ path: roll, asAt: SECOND_AS_AT, actor }))
  assert.deepEqual({ urns: result.urns, pupils: result.pupils, joined: result.joined, left: result.left }, { urns: ['998201'], pupils: 3, joined: 1, left: 1 })

  const rows = await pupilsOf('998201')
  assert.equal(rows.size, 4, 'the pupil who left is kept')
  assert.equal(rows.get('R3')?.left_on, SECOND_AS_AT, 'R3 is "left on" the new roll\'s as-at date')
  assert.equal(rows.get('R3')?.last_import_id, result.importId)
  assert.equal(rows.get('R2')?.address, 'Flat 4, 8 Ember Lane', 'the changed address is taken')
  assert.equal(rows.get('R2')?.left_on, null)
  assert.equal(rows.get('R2')?.on_roll_since, FIRST_AS_AT, 'a pupil still on the roll keeps the date they joined')
  assert.equal(rows.get('R4')?.on_roll_since, SECOND_AS_AT)
  assert.equal(rows.get('R4')?.left_on, null)
  assert.equal(rows.get('R1')?.last_import_id, beforeRows.get('R1')?.last_import_id, 'an unchanged pupil is not rewritten')
  assert.deepEqual(await pupilsOf('998202'), otherBefore, 'the other setting in the first file is untouched')

  // R3 comes back: on the roll again, from the later date
  const back = succeeded(await harbour.services.rollImports.importFile({
    path: file('first-school-back.csv', [HEADER,
      'R1,K998201000011,998201,Amelie,,Hartwell,2016-03-27,F,12 Quillet Road,B97 4ZT',
      'R2,,998201,Jonah,Tomos,Brightwater,2018-11-02,M,"Flat 4, 8 Ember Lane",B97 2WD',
      'R3,t99820100003a,998201,Sami,,Okafor-Lind,2017-07-14,X,7 Brindlemoor Close,B98 1XQ',
      'R4,K998201000044,998201,Noor,,Haddad,2019-02-18,F,3 Wren Court,B97 6PL']),
    asAt: THIRD_AS_AT, actor
  }))
  assert.deepEqual({ pupils: back.pupils, joined: back.joined, left: back.left }, { pupils: 4, joined: 1, left: 0 })
  const again = await pupilsOf('998201')
  assert.equal(again.get('R3')?.left_on, null)
  assert.equal(again.get('R3')?.on_roll_since, THIRD_AS_AT)

  // an older roll cannot replace a newer one
  const before = await counts()
  await assert.rejects(
    harbour.services.rollImports.importFile({ path: roll, asAt: SECOND_AS_AT, actor }),
    (error: Error) => error instanceof RollImportError && error.message.includes(`a later roll for URN 998201 (as at ${THIRD_AS_AT})`)
  )
  assert.deepEqual(await counts(), { ...before, audits: before.audits + 1 }, 'nothing imported; the refusal is audited')
  assert.deepEqual(await pupilsOf('998201'), again)
})

test('a Common Transfer File imports its school\'s pupils, each known by UPN', async () => {
  const result = succeeded(await harbour.services.rollImports.importFile({ path: CTF_FIXTURE, asAt: SECOND_AS_AT, actor }))
  assert.deepEqual({ source: result.source, urns: result.urns, pupils: result.pupils, joined: result.joined, left: result.left }, { source: 'ctf', urns: ['998101'], pupils: 3, joined: 3, left: 0 })
  const rows = await pupilsOf('998101')
  assert.deepEqual([...rows.keys()], ['K998101000012', 'K998101000029', 'T99810100003A'])
  const amara = rows.get('K998101000012')!
  assert.deepEqual({ upn: amara.upn, first: amara.first_name, middle: amara.middle_names, last: amara.last_name, dob: amara.date_of_birth, gender: amara.gender, address: amara.address, postcode: amara.postcode },
    { upn: 'K998101000012', first: 'Amara', middle: 'Joy', last: 'Okonkwo-Hale', dob: '2017-04-09', gender: 'F', address: 'Flat 2, 14 Quillet Road, Harbourshire', postcode: 'B97 4ZT' })
  assert.equal(rows.get('K998101000029')?.address, '7 Brindlemoor Close, Harbourshire', 'AddressLines are joined')
  assert.equal(rows.get('T99810100003A')?.gender, '', 'gender U (unknown) is stored as not known')
  assert.equal(rows.get('T99810100003A')?.postcode, 'B97 2WD')
  const row = await harbour.services.db.selectFrom('roll_import').select(['source', 'file_name']).where('id', '=', result.importId).executeTakeFirstOrThrow()
  assert.deepEqual(row, { source: 'ctf', file_name: 'roll-ctf.xml' })
})

test('a Common Transfer File with bad pupils is refused, naming each by line and CTF field', async () => {
  const before = await counts()
  const ctf = path.join(folder, 'bad-ctf.xml')
  writeFileSync(ctf, [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<CTfile><Header><SourceSchool><URN>998102</URN></SourceSchool></Header>',
    '<CTFpupilData>',
    '<Pupil><UPN>K998102000010</UPN><Surname>Adeyemi</Surname><Forename>Tola</Forename><DOB>2017-13-01</DOB><Gender>F</Gender></Pupil>',
    '<Pupil><UPN>K998102000010</UPN><Surname>Bell</Surname><Forename>Ivo</Forename><DOB>2017-01-01</DOB><Gender>M</Gender></Pupil>',
    '<Pupil><Surname>Cole</Surname><Forename></Forename><DOB>2017-02-01</DOB></Pupil>',
    '</CTFpupilData></CTfile>'
  ].join('\n'))
  const result = await harbour.services.rollImports.importFile({ path: ctf, actor })
  assert.equal(result.ok, false)
  assert.equal(result.source, 'ctf')
  const problems = result.ok ? [] : result.problems
  assert.match(problems[0] ?? '', /^line 4: DOB — "2017-13-01" is not a real date$/)
  assert.match(problems[1] ?? '', /^line 5: UPN — "K998102000010" at URN 998102 is also on line 4/)
  assert.match(problems[2] ?? '', /^line 6: UPN — is empty/)
  assert.match(problems[3] ?? '', /^line 6: Forename — is empty/)
  assert.equal(problems.length, 4, problems.join('\n'))
  assert.deepEqual(await counts(), { ...before, audits: before.audits + 1 }, 'nothing imported; the refusal is audited')

  writeFileSync(ctf, '<CTfile>\n<Header>\n</Heder>\n</CTfile>')
  const broken = await harbour.services.rollImports.importFile({ path: ctf, actor })
  assert.match(broken.ok ? '' : broken.problems[0] ?? '', /^line 3: file — is not well-formed XML/)
})

// The upload page, through the server: multipart, with the CSRF token read from the form's fields.

function multipart(fields: Array<[string, string]>, upload?: { name: string, content: string }, csrfAfterFile?: string) {
  const boundary = `----harbour${randomBytes(8).toString('hex')}`
  let body = ''
  for (const [name, value] of fields) body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  if (upload) body += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${upload.name}"\r\nContent-Type: text/csv\r\n\r\n${upload.content}\r\n`
  if (csrfAfterFile) body += `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfAfterFile}\r\n`
  body += `--${boundary}--\r\n`
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

test('the upload page imports a CSV sent as a multipart form and shows the counts', async () => {
  const { cookies } = await harbour.person(['encompass_officer'])
  const page = await harbour.app.inject({ method: 'GET', url: '/rolls', cookies })
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /enctype="multipart\/form-data"/)
  assert.ok(page.body.indexOf('name="_csrf"') < page.body.indexOf('type="file"'), 'the CSRF field comes before the file')

  const content = [HEADER, 'W1,,998401,Ada,,Webb,2016-01-02,F,1 Upload Row,B1 1AA', 'W2,,998401,Bo,,Webb,2017-03-04,M,1 Upload Row,B1 1AA'].join('\r\n')
  const sent = await harbour.app.inject({ method: 'POST', url: '/rolls', cookies, ...multipart([['_csrf', tokenFor(harbour, cookies)], ['asAt', SECOND_AS_AT]], { name: 'web-roll.csv', content }) })
  assert.equal(sent.statusCode, 303, sent.body)
  assert.match(String(sent.headers.location), /^\/rolls\?imported=[0-9a-f-]{36}$/)
  const done = await harbour.app.inject({ method: 'GET', url: String(sent.headers.location), cookies })
  assert.equal(done.statusCode, 200)
  assert.match(done.body, /Roll imported/)
  assert.match(done.body, /2 pupils at 1 setting/)
  assert.match(done.body, /web-roll\.csv/)
  assert.equal((await pupilsOf('998401')).size, 2)
  const row = await harbour.services.db.selectFrom('roll_import').select(['imported_by_user_id', 'file_name']).where('file_name', '=', 'web-roll.csv').executeTakeFirstOrThrow()
  assert.ok(row.imported_by_user_id, 'the import records who uploaded it')
})

test('the upload page lists each bad row and imports nothing', async () => {
  const { cookies } = await harbour.person(['encompass_officer'])
  const before = await counts()
  const content = [HEADER, 'X1,,998402,Ada,,Webb,2016-02-30,F,1 Row,B1 1AA', 'X2,,998402,,,Webb,2017-03-04,Z,1 Row,B1 1AA'].join('\n')
  const sent = await harbour.app.inject({ method: 'POST', url: '/rolls', cookies, ...multipart([['_csrf', tokenFor(harbour, cookies)], ['asAt', '']], { name: 'bad.csv', content }) })
  assert.equal(sent.statusCode, 400)
  assert.match(sent.body, /The file has 3 problems, so nothing was imported/)
  assert.match(sent.body, /Line 2: date_of_birth — &quot;2016-02-30&quot; is not a real date/)
  assert.match(sent.body, /Line 3: first_name — is empty/)
  assert.match(sent.body, /Line 3: gender — &quot;Z&quot; is not a gender/)
  assert.deepEqual(await counts(), { ...before, audits: before.audits + 1 }, 'nothing imported; the refusal is audited')

  const noFile = await harbour.app.inject({ method: 'POST', url: '/rolls', cookies, ...multipart([['_csrf', tokenFor(harbour, cookies)], ['asAt', 'yesterday']], { name: '', content: '' }) })
  assert.equal(noFile.statusCode, 400)
  assert.match(noFile.body, /Enter the as-at date as YYYY-MM-DD/)
  assert.match(noFile.body, /Select a roll file/)
})

test('a multipart form is refused without its CSRF token before the file, or by a role without the permission', async () => {
  const { cookies } = await harbour.person(['encompass_officer'])
  const before = await counts()
  const content = [HEADER, 'Y1,,998403,Ada,,Webb,2016-01-02,F,1 Row,B1 1AA'].join('\n')
  const forged = await harbour.app.inject({ method: 'POST', url: '/rolls', cookies, ...multipart([['_csrf', 'forged']], { name: 'r.csv', content }) })
  assert.equal(forged.statusCode, 403)
  assert.match(forged.body, /Your form could not be sent/)
  const late = await harbour.app.inject({ method: 'POST', url: '/rolls', cookies, ...multipart([], { name: 'r.csv', content }, tokenFor(harbour, cookies)) })
  assert.equal(late.statusCode, 403, 'the token must come before the file')
  const otherCsrf = { ...cookies, [CSRF_COOKIE]: harbour.csrf().cookie }
  const mismatched = await harbour.app.inject({ method: 'POST', url: '/rolls', cookies: otherCsrf, ...multipart([['_csrf', tokenFor(harbour, cookies)]], { name: 'r.csv', content }) })
  assert.equal(mismatched.statusCode, 403)

  const lead = await harbour.person(['partnership_lead'])
  const denied = await harbour.app.inject({ method: 'POST', url: '/rolls', cookies: lead.cookies, ...multipart([['_csrf', tokenFor(harbour, lead.cookies)]], { name: 'r.csv', content }) })
  assert.equal(denied.statusCode, 403)
  assert.match(denied.body, /You do not have access to this page/)
  assert.deepEqual(await counts(), before)
})

// npx harbour import roll, as a child process on a database of its own.

test('npx harbour import roll imports a CSV or a CTF, and refuses a bad file, listing every problem', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-roll-cli-'))
  const postgres = onPostgres ? await freshPostgresDatabase() : undefined
  const open = async (): Promise<Database> => await openDatabase({ databaseUrl: postgres?.url, dataDir })
  try {
    const database = await open()
    try {
      await migrate(database.db)
    } finally {
      await database.close()
    }
    const cli = commandLine({ dataDir, databaseUrl: postgres?.url, user: 'roll-cli-test', timeoutMs: 120_000 })

    const good = file('cli-good.csv', [HEADER, 'C1,,998501,Ada,,Webb,2016-01-02,F,1 Row,B1 1AA', 'C2,,998501,Bo,,Webb,2017-03-04,M,1 Row,B1 1AA', 'D1,,998502,Cy,,Nash,2015-05-06,,2 Row,B1 1AB'])
    const imported = cli('import', 'roll', '--file', good, '--as-at', SECOND_AS_AT)
    assert.equal(imported.status, 0, imported.output)
    assert.match(imported.stdout, new RegExp(`Imported the roll of 2 settings as at ${SECOND_AS_AT} from cli-good\\.csv \\(CSV\\)`))
    assert.match(imported.stdout, /3 pupils, 3 joined, 0 left/)
    assert.match(imported.stderr, /checked 3 rows/, 'progress goes to stderr')
    assert.match(imported.stderr, /written 3 of 3 rows/)

    const ctf = cli('import', 'roll', '--file', CTF_FIXTURE)
    assert.equal(ctf.status, 0, ctf.output)
    assert.match(ctf.stdout, new RegExp(`Imported the roll of setting 998101 as at ${todayInLondon()} from roll-ctf\\.xml \\(Common Transfer File\\)`))

    const bad = file('cli-bad.csv', [HEADER, 'C1,,998501,Ada,,Webb,2016-01-32,F,1 Row,B1 1AA', 'C3,,998501,Di,,Webb,2017-03-04,W,1 Row,B1 1AA'])
    const refused = cli('import', 'roll', '--file', bad)
    assert.equal(refused.status, 1, refused.output)
    assert.match(refused.stderr, /^line 2: date_of_birth — "2016-01-32" is not a real date$/m)
    assert.match(refused.stderr, /^line 3: gender — "W" is not a gender/m)
    assert.match(refused.stderr, /Nothing was imported: .*cli-bad\.csv has 2 problems/)
    assert.doesNotMatch(refused.stdout, /Imported/)

    const missing = cli('import', 'roll', '--file', path.join(folder, 'no-such-file.csv'))
    assert.equal(missing.status, 1)
    assert.match(missing.stderr, /no such file/)
    const usage = cli('import', 'roll')
    assert.equal(usage.status, 1)
    assert.match(usage.stderr, /import roll needs --file/)

    const check = await open()
    try {
      const pupils = await check.db.selectFrom('pupil').select(['pupil_ref', 'urn']).orderBy('urn').orderBy('pupil_ref').execute()
      assert.deepEqual(pupils.map((p) => `${p.urn}/${p.pupil_ref}`), ['998101/K998101000012', '998101/K998101000029', '998101/T99810100003A', '998501/C1', '998501/C2', '998502/D1'])
      const imports = await check.db.selectFrom('roll_import').select(['imported_by_label']).execute()
      assert.equal(imports.length, 2, 'the refused file left no import behind')
      assert.match(imports[0]?.imported_by_label ?? '', /command line \(roll-cli-test\)/)
    } finally {
      await check.close()
    }
  } finally {
    await postgres?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('a file that would take most of a setting\'s roll away is refused unless it is said to be the whole roll', async () => {
  const pupils = Array.from({ length: 12 }, (_, i) => `K${i + 1},,998601,Pupil${String.fromCharCode(65 + i)},,Shrinkwell,2016-01-${String(i + 10).padStart(2, '0')},,${i + 1} Shrink Row,B1 1AA`)
  succeeded(await harbour.services.rollImports.importFile({ path: file('full.csv', [HEADER, ...pupils]), asAt: FIRST_AS_AT, actor }))
  const part = file('part.csv', [HEADER, ...pupils.slice(0, 2)])
  const before = await counts()
  await assert.rejects(
    harbour.services.rollImports.importFile({ path: part, asAt: SECOND_AS_AT, actor }),
    (error: Error) => error instanceof RollImportError && /URN 998601 would keep 2 of 12/.test(error.message)
  )
  assert.equal((await pupilsOf('998601')).size, 12)
  assert.deepEqual(await counts(), { ...before, audits: before.audits + 1 }, 'nothing imported; the refusal is audited')
  const allowed = succeeded(await harbour.services.rollImports.importFile({ path: part, asAt: SECOND_AS_AT, actor, allowShrink: true }))
  assert.equal(allowed.left, 10)
})
