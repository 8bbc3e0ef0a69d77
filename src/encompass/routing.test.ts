import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ageGroup, routeChild } from './routing.ts'
import { ageOn } from '../platform/time/dates.ts'
import type { RoutingInput } from './routing.ts'

const base: RoutingInput = { dateOfBirth: '2015-05-01', incidentDate: '2026-11-20', band: 'auto', matchedUrn: '990001', officerUrn: undefined, homeEducated: false, onRollNow: true }

test('age in whole years, at the birthday and a leap-day birthday', () => {
  assert.equal(ageOn('2008-11-20', '2026-11-19'), 17)
  assert.equal(ageOn('2008-11-20', '2026-11-20'), 18)
  assert.equal(ageOn('2008-02-29', '2026-02-28'), 17)
  assert.equal(ageOn('2008-02-29', '2026-03-01'), 18)
})

test('reception starts in the September after the fourth birthday', () => {
  // academic year from 1 Sep 2026: reception is born 1 Sep 2021 - 31 Aug 2022
  assert.equal(ageGroup('2022-08-31', '2026-11-20'), 'school-age')
  assert.equal(ageGroup('2022-09-01', '2026-11-20'), 'under-school-age')
  assert.equal(ageGroup('2022-08-31', '2026-08-31'), 'under-school-age', 'the summer before reception')
  assert.equal(ageGroup('2008-11-21', '2026-11-20'), 'school-age', '17 the day before the 18th birthday')
  assert.equal(ageGroup('2008-11-20', '2026-11-20'), 'adult')
})

test('a child found on a roll goes to that setting', () => {
  assert.deepEqual(routeChild(base), { route: 'setting', urn: '990001' })
  assert.deepEqual(routeChild({ ...base, officerUrn: '990001' }), { route: 'setting', urn: '990001' })
})

test('an officer\'s URN that disagrees with the roll sends the child to review', () => {
  const decision = routeChild({ ...base, officerUrn: '990002' })
  assert.equal(decision.route, 'review')
  assert.match(decision.reason ?? '', /URN 990002.*URN 990001/)
})

test('review band, not on any roll, home educated', () => {
  assert.equal(routeChild({ ...base, band: 'review', matchedUrn: undefined }).route, 'review')
  assert.equal(routeChild({ ...base, band: 'none', matchedUrn: undefined }).route, 'local-authority')
  const home = routeChild({ ...base, band: 'none', matchedUrn: undefined, homeEducated: true })
  assert.equal(home.route, 'local-authority')
  assert.match(home.reason ?? '', /Home educated/)
  assert.equal(routeChild({ ...base, homeEducated: true, onRollNow: false }).route, 'local-authority', 'left the school for home education')
  const both = routeChild({ ...base, homeEducated: true, onRollNow: true })
  assert.equal(both.route, 'review', 'on the register and on a roll now: the council checks')
  assert.match(both.reason ?? '', /home education register, and on the roll of URN 990001/)
})

test('under school age: excluded unless the early years route is on; 18 and over: excluded', () => {
  const baby = { ...base, dateOfBirth: '2025-01-10' }
  assert.equal(routeChild(baby).route, 'excluded')
  assert.match(routeChild(baby).reason ?? '', /early years route/)
  assert.equal(routeChild(baby, { earlyYears: true }).route, 'local-authority')
  const adult = routeChild({ ...base, dateOfBirth: '2008-11-20' })
  assert.equal(adult.route, 'excluded')
  assert.match(adult.reason ?? '', /18 or over/)
})
