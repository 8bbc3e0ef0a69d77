// The cases that matter, end to end with the trained default model: a nickname, a swapped date, a
// moved family, siblings and twins at one address, a stranger with a common name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { prepare } from './normalise.ts'
import type { PersonRecord } from './normalise.ts'
import { RollIndex } from './roll-index.ts'
import { matchChild } from './match.ts'
import { defaultModel } from '../rolls/link-files.ts'
import { generateRoll } from './synthetic.ts'

// a family of three (two of them twins) among a few thousand synthetic pupils
const family: PersonRecord[] = [
  { id: 'W1', firstName: 'William', middleNames: 'James', lastName: 'Kowalczyk', dateOfBirth: '2014-03-09', gender: 'M', address: '21 Linden Avenue', postcode: 'B29 6TH' },
  { id: 'W2', firstName: 'Zofia', lastName: 'Kowalczyk', dateOfBirth: '2017-11-02', gender: 'F', address: '21 Linden Avenue', postcode: 'B29 6TH' },
  { id: 'W3', firstName: 'Hanna', lastName: 'Kowalczyk', dateOfBirth: '2017-11-02', gender: 'F', address: '21 Linden Avenue', postcode: 'B29 6TH' }
]
const others = generateRoll({ pupils: 4000, seed: 42 }).map((p) => ({ id: p.pupilId, firstName: p.firstName, middleNames: p.middleNames, lastName: p.lastName, dateOfBirth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode }))
const index = new RollIndex([...family, ...others].map(prepare))
const model = defaultModel()
const match = (child: Partial<PersonRecord>) => matchChild(index, model, prepare({ ...family[0]!, id: 'child', ...child }))

test('a nickname is the same child, sent automatically', () => {
  const result = match({ firstName: 'Bill', middleNames: '' })
  assert.equal(result.best?.id, 'W1')
  assert.equal(result.band, 'auto')
})

test('a date of birth with day and month swapped is the same child', () => {
  const result = match({ dateOfBirth: '2014-09-03' })
  assert.equal(result.best?.id, 'W1')
  assert.equal(result.band, 'auto')
})

test('a family that moved is still found, by name and date of birth', () => {
  const result = match({ address: '3 Foundry Street', postcode: 'B66 1AA' })
  assert.equal(result.best?.id, 'W1')
  assert.equal(result.band, 'auto')
})

test('a brother not on the roll (another name, another birthday, same home) is not matched to his brother', () => {
  const result = match({ firstName: 'Piotr', middleNames: '', dateOfBirth: '2020-05-17', gender: 'M' })
  assert.notEqual(result.band, 'auto')
})

test('each twin is matched to the right twin, and a third name at that home and birthday is held back', () => {
  const zofia = match({ firstName: 'Zofia', middleNames: '', dateOfBirth: '2017-11-02', gender: 'F' })
  assert.equal(zofia.best?.id, 'W2')
  assert.equal(zofia.band, 'auto', 'her own name, with her twin far behind')
  const hanna = match({ firstName: 'Hanna', middleNames: '', dateOfBirth: '2017-11-02', gender: '' })
  assert.equal(hanna.best?.id, 'W3')
  const unknownTwin = match({ firstName: 'Maja', middleNames: '', dateOfBirth: '2017-11-02', gender: 'F' })
  assert.notEqual(unknownTwin.band, 'auto')
  assert.ok(unknownTwin.guards.some((g) => /twin/.test(g)))
})

test('a child who is on no roll comes back as none', () => {
  const result = match({ firstName: 'Eilidh', middleNames: '', lastName: 'Featherstonehaugh', dateOfBirth: '2011-08-30', address: '9 Kestrel Way', postcode: 'B90 4QR' })
  assert.equal(result.band, 'none')
})
