// The directory's pure rules: the six-monthly check, gaps by single ages, and slugs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addMonths, checkDue, describeAges, provisionGaps, slugFor, waitingTime } from './rules.ts'
import type { DirectoryEntry } from './rules.ts'

test('an entry is due its check six calendar months after it was last checked', () => {
  assert.equal(addMonths('2026-08-31', 6), '2027-02-28')
  assert.equal(addMonths('2027-08-31', 6), '2028-02-29')
  assert.equal(addMonths('2026-03-15', -1), '2026-02-15')
  assert.equal(addMonths('2026-01-10', -2), '2025-11-10')
  assert.equal(checkDue('2026-01-10', '2026-07-09'), false)
  assert.equal(checkDue('2026-01-10', '2026-07-10'), true)
})

const entry = (name: string, minAge: number, maxAge: number, areaCodes: string[], supportKinds = ['therapeutic']): DirectoryEntry => ({
  id: name, slug: slugFor(name), name, publicListing: false, practitionerListing: true, priority: 100, summary: '', audiences: [], needs: [], languages: '',
  phone: '', textNumber: '', webchatUrl: '', website: '', contactNote: '', hours: { kind: 'none' }, hoursNote: '', areaDescription: '', areaCodes,
  supportKinds, minAge, maxAge, referralCriteria: '', howToRefer: '', waitingWeeks: null, waitingReportedOn: null, isDemo: false, lastCheckedOn: '2026-01-01', lastCheckedBy: ''
})

test('gaps: a band no service takes is a gap; a band only some ages of which are taken is partly covered', () => {
  const areas = [{ code: 'a', name: 'Area A' }, { code: 'b', name: 'Area B' }]
  const tables = provisionGaps([entry('Play', 3, 10, ['a']), entry('Teens', 11, 17, ['a', 'b']), entry('Programme', 0, 17, ['b'], ['perpetrator-programme'])], areas)
  const therapeutic = tables.find((t) => t.kind === 'therapeutic')!
  const [a, b] = therapeutic.rows
  assert.deepEqual(a!.cells.map((c) => c.status), ['partial', 'covered', 'covered', 'covered'])
  assert.deepEqual(a!.cells[0]!.uncovered, [0, 1, 2])
  assert.equal(a!.cells[0]!.covered, 'ages 3 to 4')
  assert.deepEqual(b!.cells.map((c) => c.status), ['none', 'none', 'covered', 'covered'])
  assert.equal(therapeutic.gaps, 2)
  assert.equal(therapeutic.partial, 1)
  const any = tables.find((t) => t.kind === 'any')!
  assert.equal(any.gaps, 0, 'the programme covers area B for any kind')
  assert.equal(describeAges([4]), 'age 4')
  assert.equal(describeAges([0, 2, 4]), 'ages 0, 2 and 4')
})

test('slugs and waiting times in words', () => {
  assert.equal(slugFor("Birmingham LGBT's helpline"), 'birmingham-lgbts-helpline')
  assert.equal(slugFor('Domestic Abuse Hub: Birmingham & Solihull Women’s Aid'), 'domestic-abuse-hub-birmingham-and-solihull-womens-aid')
  assert.equal(slugFor('!!!'), 'service')
  assert.equal(waitingTime({ waitingWeeks: 0, waitingReportedOn: '2026-03-03' }), 'No wait (reported 3 March 2026)')
  assert.equal(waitingTime({ waitingWeeks: 1, waitingReportedOn: null }), 'About 1 week')
  assert.equal(waitingTime({ waitingWeeks: null, waitingReportedOn: null }), 'Not reported')
})
