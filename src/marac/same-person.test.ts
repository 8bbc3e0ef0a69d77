// Recognising the same person across referrals through the linkage library: slips in a name or one digit
// of a date of birth are still the same person; a twin (same surname and birthday, another first name)
// and a namesake with another birthday are not. A perpetrator with no date of birth on one side is
// recognised by name (only ever after the victim is).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SAME_NAME_BITS, SAME_PERSON_BITS, comparePeople, preparePerson, samePerpetrator, samePerson, sameVictimWithPerpetrator, surnameKey } from './same-person.ts'

const jasmine = preparePerson({ firstName: 'Jasmine', lastName: 'Okafor', dateOfBirth: '1991-04-12' })
const same = (first: string, last: string, dob?: string) => samePerson(jasmine, preparePerson({ firstName: first, lastName: last, dateOfBirth: dob }))

test('the same person despite a slip: a letter in either name, a nickname form, one digit of the date, day and month swapped', () => {
  assert.equal(same('Jasmine', 'Okafor', '1991-04-12'), true)
  assert.equal(same('Jasmin', 'Okafor', '1991-04-12'), true)
  assert.equal(same('Jazmine', 'Okafor', '1991-04-12'), true)
  assert.equal(same('jasmine', 'OKAFOR ', '1991-04-12'), true)
  assert.equal(same('Jasmine', 'Okafr', '1991-04-12'), true)
  assert.equal(same('Jasmine', 'Okafor', '1991-04-13'), true)
  assert.equal(same('Jasmine', 'Okafor', '1991-12-04'), true)
})

test('not the same person: a twin, another surname, another birthday, or no date of birth at all', () => {
  assert.equal(same('Grace', 'Okafor', '1991-04-12'), false, 'a twin: same surname and birthday, another first name')
  assert.equal(same('Jasmine', 'Smith', '1991-04-12'), false)
  assert.equal(same('Jasmine', 'Okafor', '1988-02-01'), false)
  assert.equal(same('Jasmine', 'Okafor'), false, 'without a date of birth, names alone never make the same victim')
})

test('the thresholds are where the comparisons put them', () => {
  const exact = comparePeople(jasmine, jasmine)
  assert.ok(exact.bits > SAME_PERSON_BITS + 10)
  const twin = comparePeople(jasmine, preparePerson({ firstName: 'Grace', lastName: 'Okafor', dateOfBirth: '1991-04-12' }))
  assert.ok(twin.bits < SAME_PERSON_BITS)
  assert.ok(exact.nameBits >= SAME_NAME_BITS)
})

test('a perpetrator: by name and date of birth, or by name alone where a date of birth is missing', () => {
  const liam = preparePerson({ firstName: 'Liam', lastName: 'Carter', dateOfBirth: '1988-09-30' })
  assert.equal(samePerpetrator(liam, preparePerson({ firstName: 'Liam', lastName: 'Carter' })), true)
  assert.equal(samePerpetrator(liam, preparePerson({ firstName: 'William', lastName: 'Carter' })), true, 'a known name variant')
  assert.equal(samePerpetrator(liam, preparePerson({ firstName: 'Liam', lastName: 'Carver', dateOfBirth: '1975-01-01' })), false)
  assert.equal(samePerpetrator(liam, preparePerson({ firstName: 'Noah', lastName: 'Carter' })), false)
})

test('the surname key is the cleaned surname the linkage library compares', () => {
  assert.equal(surnameKey("O'Brien-Smith"), surnameKey('obrien smith'))
})

test('with the perpetrator recognised, a victim whose surname changed is the same victim on first name and date of birth; a twin is not', () => {
  const bethany = preparePerson({ firstName: 'Bethany', lastName: 'Whitfield', dateOfBirth: '1993-07-21' })
  assert.equal(samePerson(bethany, preparePerson({ firstName: 'Bethany', lastName: 'Pryce', dateOfBirth: '1993-07-21' })), false, 'names and birthday alone are not enough')
  assert.equal(sameVictimWithPerpetrator(bethany, preparePerson({ firstName: 'Bethany', lastName: 'Pryce', dateOfBirth: '1993-07-21' })), true)
  const elizabeth = preparePerson({ firstName: 'Elizabeth', lastName: 'Whitfield', dateOfBirth: '1993-07-21' })
  assert.equal(sameVictimWithPerpetrator(elizabeth, preparePerson({ firstName: 'Beth', lastName: 'Pryce', dateOfBirth: '1993-07-21' })), true, 'a nickname')
  assert.equal(sameVictimWithPerpetrator(bethany, preparePerson({ firstName: 'Bethany', lastName: 'Pryce', dateOfBirth: '1993-07-22' })), false, 'the same date of birth is required')
  assert.equal(sameVictimWithPerpetrator(bethany, preparePerson({ firstName: 'Rebecca', lastName: 'Whitfield', dateOfBirth: '1993-07-21' })), false, 'a twin sister')
  assert.equal(sameVictimWithPerpetrator(bethany, preparePerson({ firstName: 'Rebecca', lastName: 'Pryce', dateOfBirth: '1993-07-21' })), false)
})
