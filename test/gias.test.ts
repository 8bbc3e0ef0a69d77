// Education settings from GIAS: the establishments file and its links file as the DfE publishes them
// (Windows-1252, GIAS's column names), all or nothing with every bad row named by line and column, one
// local authority at a time, re-imports updating, and successor links (a cycle does not hang).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { testHarbour } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { GiasImportError, importGias, successorUrn } from '../src/organisations/gias.ts'
import type { GiasImportFailure, GiasImportSuccess } from '../src/organisations/gias.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ESTABLISHMENTS = path.join(ROOT, 'test/fixtures/gias/establishments.csv')
const LINKS = path.join(ROOT, 'test/fixtures/gias/links.csv')
const actor = { label: 'gias test' }

let harbour: TestHarbour
let dir = ''

before(async () => {
  harbour = await testHarbour()
  dir = mkdtempSync(path.join(tmpdir(), 'harbour-gias-test-'))
})

after(async () => {
  await harbour.stop()
  rmSync(dir, { recursive: true, force: true })
})

const db = () => harbour.services.db

/** A copy of the fixture with some text replaced, written back as Windows-1252 bytes. */
function variant(name: string, from: string, edit: (text: string) => string): string {
  const text = new TextDecoder('windows-1252').decode(readFileSync(from))
  const edited = edit(text)
  const bytes = Buffer.from([...edited].map((ch) => {
    const code = ch.codePointAt(0)!
    const special: Record<string, number> = { '\u2019': 0x92, '\u20AC': 0x80 }
    if (special[ch] !== undefined) return special[ch]
    if (code > 0xff) throw new Error(`${ch} is not in the test's Windows-1252 table`)
    return code
  }))
  const file = path.join(dir, name)
  writeFileSync(file, bytes)
  return file
}

async function settingCounts() {
  const organisations = await db().selectFrom('organisation').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', 'education_setting').executeTakeFirstOrThrow()
  const settings = await db().selectFrom('education_setting').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return { organisations: Number(organisations.n), settings: Number(settings.n) }
}

test('the fixture is Windows-1252 bytes, not UTF-8', () => {
  const bytes = readFileSync(ESTABLISHMENTS)
  assert.ok(bytes.includes(0x92), 'the curly apostrophe in St Bede\u2019s is byte 0x92')
  assert.ok(bytes.includes(0xc9), 'the É of École is byte 0xC9')
})

test('a bad row is named by line and column, and nothing is written', async () => {
  const before = await settingCounts()
  const auditBefore = await db().selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'gias-import').executeTakeFirstOrThrow()
  const bad = variant('bad.csv', ESTABLISHMENTS, (text) => text
    .replace('990003,990,Harbourshire', '99OO03,990,Harbourshire')
    .replace(/(990007,990,Harbourshire,.*?,Primary,)7,11,/, '$1eleven,11,'))
  const result = await importGias(db(), { path: bad, actor }) as GiasImportFailure
  assert.equal(result.ok, false)
  assert.deepEqual(result.problems, [
    'establishments: line 4: URN — "99OO03" is not a URN: it must be 6 digits',
    'establishments: line 8: StatutoryLowAge — "eleven" is not an age in years (0 to 25)'
  ])
  assert.deepEqual(await settingCounts(), before)
  const auditAfter = await db().selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'gias-import').where('outcome', '=', 'failure').executeTakeFirstOrThrow()
  assert.equal(Number(auditAfter.n), Number(auditBefore.n) + 1, 'the refusal is audited')

  const badLinks = variant('bad-links.csv', LINKS, (text) => text.replace('990007,990006,', '990007,,'))
  const linksResult = await importGias(db(), { path: ESTABLISHMENTS, linksPath: badLinks, actor }) as GiasImportFailure
  assert.equal(linksResult.ok, false)
  assert.deepEqual(linksResult.problems, ['links: line 4: LinkURN — "" is not a URN: it must be 6 digits'])
  assert.deepEqual(await settingCounts(), before)

  const noHeader = variant('no-header.csv', ESTABLISHMENTS, (text) => text.replace('EstablishmentName', 'Name'))
  const headerResult = await importGias(db(), { path: noHeader, actor }) as GiasImportFailure
  assert.match(headerResult.problems[0]!, /^establishments: line 1: header — missing column EstablishmentName/)

  await assert.rejects(importGias(db(), { path: ESTABLISHMENTS, laCode: 'Harbourshire', actor }), GiasImportError)
})

test('one local authority only: the others are left out', async () => {
  const result = await importGias(db(), { path: ESTABLISHMENTS, linksPath: LINKS, laCode: '991', actor }) as GiasImportSuccess
  assert.equal(result.ok, true)
  assert.equal(result.settings, 2)
  assert.equal(result.skipped, 7)
  assert.equal(result.links, 1, 'only the link that touches Otherton\'s settings')
  const urns = (await db().selectFrom('education_setting').select('urn').orderBy('urn').execute()).map((r) => r.urn)
  assert.deepEqual(urns, ['991001', '991002'])
})

test('the whole fixture imports, names decoded from Windows-1252, audited', async () => {
  const result = await importGias(db(), { path: ESTABLISHMENTS, linksPath: LINKS, actor }) as GiasImportSuccess
  assert.equal(result.ok, true, JSON.stringify(result))
  assert.equal(result.settings, 9)
  assert.equal(result.created, 7)
  assert.equal(result.updated, 2)
  assert.equal(result.links, 5)
  const bede = await db().selectFrom('organisation as o').innerJoin('education_setting as s', 's.organisation_id', 'o.id')
    .selectAll('s').select(['o.name', 'o.reference', 'o.type']).where('o.urn', '=', '990003').executeTakeFirstOrThrow()
  assert.equal(bede.name, 'St Bede\u2019s Catholic Primary School')
  assert.equal(bede.reference, 'URN-990003')
  assert.equal(bede.type, 'education_setting')
  assert.equal(bede.la_code, '990')
  assert.equal(bede.la_name, 'Harbourshire')
  assert.equal(bede.type_of_establishment, 'Voluntary aided school')
  assert.equal(bede.status, 'Open')
  assert.equal(bede.phase, 'Primary')
  assert.equal(bede.statutory_low_age, 4)
  assert.equal(bede.statutory_high_age, 11)
  assert.equal(bede.postcode, 'HB3 2SB')
  assert.equal(bede.encompass_signed_up, false)
  assert.equal(bede.day_starts, '08:45')
  const ecole = await db().selectFrom('organisation').select('name').where('urn', '=', '990004').executeTakeFirstOrThrow()
  assert.equal(ecole.name, '\u00c9cole Fran\u00e7aise de Harbourshire')
  const audit = await db().selectFrom('audit_event').select(['outcome', 'details']).where('action', '=', 'gias-import')
    .orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.equal(audit.outcome, 'success')
  assert.equal(audit.details.settings, 9)
})

test('a re-import updates names and details, and keeps what Harbour set', async () => {
  const organisation = await db().selectFrom('organisation').select('id').where('urn', '=', '990006').executeTakeFirstOrThrow()
  await db().updateTable('education_setting').set({ encompass_signed_up: true, day_starts: '08:35' }).where('urn', '=', '990006').execute()
  const renamed = variant('renamed.csv', ESTABLISHMENTS, (text) => text.replace('Harbour Lane Primary School', 'Harbour Lane Primary Academy').replace('HB5 3HL,,01632 960006', 'hb59zz,,01632 960006'))
  const result = await importGias(db(), { path: renamed, actor }) as GiasImportSuccess
  assert.equal(result.ok, true)
  assert.equal(result.created, 0)
  assert.equal(result.updated, 9)
  assert.equal(result.links, undefined)
  const row = await db().selectFrom('organisation as o').innerJoin('education_setting as s', 's.organisation_id', 'o.id')
    .select(['o.id', 'o.name', 's.postcode', 's.encompass_signed_up', 's.day_starts']).where('o.urn', '=', '990006').executeTakeFirstOrThrow()
  assert.deepEqual(row, { id: organisation.id, name: 'Harbour Lane Primary Academy', postcode: 'HB59ZZ', encompass_signed_up: true, day_starts: '08:35' })
  const links = await db().selectFrom('gias_link').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  assert.equal(Number(links.n), 5, 'without a links file the links stay')
})

test('successor links lead a closed school\'s pupils to the school that followed it', async () => {
  assert.equal(await successorUrn(db(), '990005'), '990006')
  assert.equal(await successorUrn(db(), '990007'), '990006', 'Successor - amalgamated')
  assert.equal(await successorUrn(db(), '990006'), '990006', 'a predecessor link is not followed')
  assert.equal(await successorUrn(db(), '990001'), '990001')
  assert.equal(await successorUrn(db(), '123456'), '123456')
})

test('a cycle of successor links ends rather than hangs', async () => {
  await db().insertInto('gias_link').values([
    { urn: '998001', link_urn: '998002', link_type: 'Successor' },
    { urn: '998002', link_urn: '998003', link_type: 'Successor - merged' },
    { urn: '998003', link_urn: '998001', link_type: 'Successor' },
    { urn: '998004', link_urn: '998004', link_type: 'Successor' }
  ]).execute()
  assert.equal(await successorUrn(db(), '998001'), '998003')
  assert.equal(await successorUrn(db(), '998002'), '998001')
  assert.equal(await successorUrn(db(), '998004'), '998004')
})
