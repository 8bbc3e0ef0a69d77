// npx harbour link: file to file, one row per child, bands, progress on stderr, clear errors.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateChildren, generateRoll, toCsv } from '../src/linkage/synthetic.ts'
import { CHILD_COLUMNS, OUTPUT_COLUMNS, ROLL_COLUMNS } from '../src/rolls/link-files.ts'
import { parseCsv } from '../src/platform/csv.ts'

let folder = ''
before(() => { folder = mkdtempSync(path.join(os.tmpdir(), 'harbour-link-')) })
after(() => rmSync(folder, { recursive: true, force: true }))

const harbour = (...args: string[]) => spawnSync(process.execPath, ['bin/harbour', ...args], { encoding: 'utf8' })

test('every child gets one row: pupil and URN when matched, empty when not on any roll', () => {
  const roll = generateRoll({ pupils: 3000, seed: 5 })
  const children = generateChildren(roll, { children: 400, seed: 6 })
  writeFileSync(path.join(folder, 'pupils.csv'), toCsv(roll.map((p) => ({ pupil_id: p.pupilId, upn: p.upn, urn: p.urn, first_name: p.firstName, middle_names: p.middleNames, last_name: p.lastName, date_of_birth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode })), [...ROLL_COLUMNS]))
  writeFileSync(path.join(folder, 'children.csv'), toCsv(children.map((c) => ({ child_id: c.childId, first_name: c.firstName, middle_names: c.middleNames, last_name: c.lastName, date_of_birth: c.dateOfBirth, gender: c.gender, address: c.address, postcode: c.postcode })), [...CHILD_COLUMNS]))
  const run = harbour('link', '--roll', path.join(folder, 'pupils.csv'), '--children', path.join(folder, 'children.csv'), '--out', path.join(folder, 'matches.csv'))
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stderr, /indexed 3,000 pupils/)
  assert.match(run.stderr, /matched 400 children/)

  const rows = parseCsv(readFileSync(path.join(folder, 'matches.csv'), 'utf8'))
  assert.deepEqual(rows[0]?.values, [...OUTPUT_COLUMNS])
  assert.equal(rows.length, 401)
  const truth = new Map(children.map((c) => [c.childId, c.truePupilId]))
  const urnOf = new Map(roll.map((p) => [p.pupilId, p.urn]))
  let autoWrong = 0
  let auto = 0
  for (const { values: [childId, pupilId, urn, probability, band] } of rows.slice(1)) {
    assert.ok(['auto', 'review', 'none'].includes(band ?? ''), `band ${band}`)
    assert.ok(Number(probability) >= 0 && Number(probability) <= 1)
    if (band === 'none') {
      assert.equal(pupilId, '')
      assert.equal(urn, '')
    } else {
      assert.equal(urn, urnOf.get(pupilId ?? ''), 'the URN is the pupil\'s setting')
    }
    if (band === 'auto') {
      auto++
      if (truth.get(childId ?? '') !== pupilId) autoWrong++
    }
  }
  assert.ok(auto > 300, `most children on the roll are matched automatically (${auto})`)
  assert.ok(autoWrong <= 1, `at most one wrong automatic match in ${auto}`)
})

test('a missing column is named, and nothing is written', () => {
  writeFileSync(path.join(folder, 'bad-children.csv'), 'child_id,first_name,last_name\nC1,Amy,Shah\n')
  const run = harbour('link', '--roll', path.join(folder, 'pupils.csv'), '--children', path.join(folder, 'bad-children.csv'), '--out', path.join(folder, 'bad.csv'))
  assert.equal(run.status, 1)
  assert.match(run.stderr, /bad-children\.csv, line 1: missing columns middle_names, date_of_birth, gender, address, postcode/)
  assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/, 'no stack trace for a mistake in the input')
  assert.equal(existsSync(path.join(folder, 'bad.csv')), false, 'no output file')
})

test('a missing file and missing options are explained', () => {
  const missing = harbour('link', '--roll', path.join(folder, 'nope.csv'), '--children', path.join(folder, 'children.csv'), '--out', path.join(folder, 'x.csv'))
  assert.equal(missing.status, 1)
  assert.match(missing.stderr, /no such file/i)
  const usage = harbour('link', '--roll', 'a.csv')
  assert.equal(usage.status, 1)
  assert.match(usage.stderr, /link needs --roll <pupils.csv> --children <children.csv> --out <matches.csv>/)
})
