// The council's home education register: imported whole (all or nothing, each problem named), and a
// child on it who is in a police-reported incident goes to the council's home education officer.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { incidentBody, reportedPupil, testHarbour } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { importHomeEducationRegister } from '../src/encompass/home-education.ts'
import { lonePupil } from '../src/encompass/demo.ts'
import { csvLine } from '../src/platform/csv.ts'

const FIXTURE = 'test/fixtures/home-education/register.csv'
const HEADER = 'register_ref,first_name,middle_names,last_name,date_of_birth,gender,address,postcode,registered_on'

let harbour: TestHarbour
let folder = ''
let policeKey = ''

before(async () => {
  harbour = await testHarbour({ demo: true })
  folder = mkdtempSync(path.join(tmpdir(), 'harbour-ehe-test-'))
  const police = await harbour.services.db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
  policeKey = (await harbour.services.apiKeys.create(police.id, 'records system', { label: 'test' })).key
})
after(async () => {
  await harbour.stop()
  rmSync(folder, { recursive: true, force: true })
})

const actor = { label: 'ehe test' }
const send = (body: Record<string, unknown>) => harbour.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${policeKey}` }, payload: body })
const registerSize = async () => (await harbour.services.db.selectFrom('home_education_child').select('id').execute()).length

function file(name: string, lines: string[]): string {
  const at = path.join(folder, name)
  writeFileSync(at, `${lines.join('\n')}\n`)
  return at
}

test('a register with problems is refused whole, each problem named by line and column, and the refusal is audited', async () => {
  const bad = file('bad.csv', [
    HEADER,
    'EHE-1,Rowan,,Synthetic,2014-02-03,F,1 Row,B1 1AA,',
    'EHE-2,,,Synthetic,2014-02-30,Q,1 Row,B1 1AA,last spring',
    'EHE-1,Rowan,,Again,2099-01-01,F,1 Row,B1 1AA,'
  ])
  const result = await importHomeEducationRegister(harbour.services.db, { path: bad, actor, today: '2026-11-23' })
  assert.ok(!result.ok)
  assert.deepEqual(result.problems, [
    'line 3: first_name — is required',
    'line 3: date_of_birth — "2014-02-30" is not a date: write it as YYYY-MM-DD',
    'line 3: registered_on — "last spring" is not a date: write it as YYYY-MM-DD, or leave it empty',
    'line 3: gender — "Q" is not F, M, X or empty',
    'line 4: date_of_birth — 2099-01-01 is in the future',
    'line 4: register_ref — "EHE-1" is also on line 2: each child is on the register once'
  ])
  assert.equal(result.problemCount, 6)
  assert.equal(await registerSize(), 0, 'nothing stored')
  const audit = await harbour.services.db.selectFrom('audit_event').select(['outcome', 'details']).where('action', '=', 'home-education-import').orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.equal(audit.outcome, 'failure')

  const noHeader = await importHomeEducationRegister(harbour.services.db, { path: file('headerless.csv', ['EHE-9,Rowan,,Synthetic,2014-02-03,F,,,']), actor })
  assert.ok(!noHeader.ok)
  assert.match(noHeader.problems[0] ?? '', /^line 1: header — missing columns register_ref, first_name, last_name, date_of_birth/)
})

test('a good register replaces the last one whole, and the audit trail has the counts and never a child\'s name', async () => {
  const first = await importHomeEducationRegister(harbour.services.db, { path: file('one.csv', [HEADER, 'EHE-OLD,Rowan,,Synthetic,2014-02-03,F,1 Row,B1 1AA,']), actor })
  assert.ok(first.ok)
  assert.equal(await registerSize(), 1)
  const result = await importHomeEducationRegister(harbour.services.db, { path: FIXTURE, actor, register: harbour.services.homeEducation })
  assert.ok(result.ok)
  assert.deepEqual({ children: result.children, before: result.before }, { children: 3, before: 1 })
  const refs = (await harbour.services.db.selectFrom('home_education_child').select('register_ref').orderBy('register_ref').execute()).map((r) => r.register_ref)
  assert.deepEqual(refs, ['EHE-0001', 'EHE-0002', 'EHE-0003'])
  const audit = await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', 'home-education-import').orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.equal(audit.outcome, 'success')
  assert.deepEqual(audit.details, { fileName: 'register.csv', rows: 3, before: 1 })
  assert.ok(!JSON.stringify(audit).includes('Quillfeather'))
})

test('a child on the register goes to the council\'s home education officer, found despite the officer\'s spelling; other children are routed as before', async () => {
  const imported = await importHomeEducationRegister(harbour.services.db, { path: FIXTURE, actor, register: harbour.services.homeEducation })
  assert.ok(imported.ok)
  const pupil = (await lonePupil(harbour.services.db, '990001'))!
  const response = await send(incidentBody('HPF/EHE/1', [
    // on the register, recorded by the officer in capitals and without the postcode's space
    { firstName: 'MARIGOLD', lastName: 'QUILLFEATHER', dateOfBirth: '2015-03-14', gender: 'F', address: '4 Lantern Row', postcode: 'B917QT', present: true },
    reportedPupil(pupil),
    { firstName: 'Peregrine', lastName: 'Unregistered', dateOfBirth: '2013-05-06', present: false }
  ]))
  assert.equal(response.statusCode, 201, response.body)
  const [registered, onRoll, nowhere] = response.json().children as Array<{ route: string, reason?: string, settingUrn?: string, deadline?: string }>
  assert.equal(registered?.route, 'local-authority')
  assert.match(registered?.reason ?? '', /Home educated/)
  assert.ok(registered?.deadline, 'the council has a deadline too')
  assert.equal(onRoll?.route, 'setting')
  assert.equal(onRoll?.settingUrn, '990001')
  assert.equal(nowhere?.route, 'local-authority')
  assert.match(nowhere?.reason ?? '', /Not found on any school roll/)
  // the council is told about the home-educated child
  const notice = await harbour.services.db.selectFrom('encompass_notification as n').innerJoin('incident as i', 'i.id', 'n.incident_id')
    .select(['n.recipient_kind']).where('i.police_reference', '=', 'HPF/EHE/1').where('n.child_position', '=', 0).executeTakeFirstOrThrow()
  assert.equal(notice.recipient_kind, 'council')
})

test('a child who shares a registered child\'s name but not their date of birth is not taken for them', async () => {
  const response = await send(incidentBody('HPF/EHE/2', [{ firstName: 'Ossian', lastName: 'Brackenridge', dateOfBirth: '2014-01-09', present: true }]))
  assert.equal(response.statusCode, 201, response.body)
  assert.doesNotMatch(response.json().children[0].reason ?? '', /Home educated/)
})

test('a child on the register and on a school\'s roll now goes to review: Harbour does not guess which is out of date', async () => {
  const pupil = (await lonePupil(harbour.services.db, '990001', 1))!
  const register = file('with-pupil.csv', [HEADER, csvLine(['EHE-ROLL', pupil.first_name, '', pupil.last_name, pupil.date_of_birth, '', pupil.address, pupil.postcode, '2026-09-01'])])
  const imported = await importHomeEducationRegister(harbour.services.db, { path: register, actor, register: harbour.services.homeEducation })
  assert.ok(imported.ok)
  const response = await send(incidentBody('HPF/EHE/3', [reportedPupil(pupil)]))
  assert.equal(response.statusCode, 201, response.body)
  const [child] = response.json().children as Array<{ route: string, reason?: string }>
  assert.equal(child?.route, 'review')
  assert.match(child?.reason ?? '', /home education register, and on the roll of URN 990001/)
})
