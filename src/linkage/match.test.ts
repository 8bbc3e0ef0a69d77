// The bands and the hard guards at their edges: twins, siblings, a close second, thresholds.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bandFor, guardsFor, matchChild } from './match.ts'
import type { ScoredCandidate, Thresholds } from './match.ts'
import { FIELD_COUNT } from './comparisons.ts'
import { prepare } from './normalise.ts'
import type { PersonRecord } from './normalise.ts'
import { RollIndex } from './roll-index.ts'
import type { LinkageModel } from './model.ts'
import { calibrate } from './train.ts'
import { calibratedProbability } from './model.ts'

const thresholds: Thresholds = { auto: 0.99, review: 0.2, margin: 6 } // fixed here, so the edges below stay put if the defaults are retuned

// levels: first, surname, dob, gender, postcode, address
function candidate(levels: number[], weight: number, probability: number): ScoredCandidate {
  const vector = new Uint8Array(FIELD_COUNT)
  levels.forEach((l, i) => { vector[i] = l })
  return { recordId: 0, id: 'p', weight, probability, vector }
}

test('a clear match with nothing close behind is automatic', () => {
  const best = candidate([1, 1, 1, 1, 1, 1], 30, 0.9999)
  assert.deepEqual(guardsFor(best, candidate([9, 1, 6, 2, 1, 1], 2, 0.01), thresholds), [])
  assert.equal(bandFor(best, [], thresholds), 'auto')
})

test('a second candidate within the margin sends the child to review; just outside it does not', () => {
  const best = candidate([1, 1, 1, 0, 1, 1], 20, 0.999)
  assert.deepEqual(guardsFor(best, candidate([2, 1, 1, 0, 1, 1], 14.01, 0.99), thresholds), ['close-second'])
  assert.deepEqual(guardsFor(best, candidate([2, 1, 1, 0, 1, 1], 14, 0.99), thresholds), [])
})

test('twins: same home and date of birth, different first name, never automatic', () => {
  const twin = candidate([9, 1, 1, 0, 1, 1], 18, 0.995)
  assert.deepEqual(guardsFor(twin, undefined, thresholds), ['possible-twin'])
  assert.equal(bandFor(twin, ['possible-twin'], thresholds), 'review')
  // the same child with a nickname is not a twin
  assert.deepEqual(guardsFor(candidate([2, 1, 1, 0, 1, 1], 25, 0.999), undefined, thresholds), [])
  // going by a middle name, or a one-letter slip, is not a twin; a merely similar name is
  assert.deepEqual(guardsFor(candidate([7, 1, 1, 0, 1, 1], 25, 0.999), undefined, thresholds), [])
  assert.deepEqual(guardsFor(candidate([3, 1, 1, 0, 1, 1], 25, 0.999), undefined, thresholds), [], 'a one-letter slip is the same name')
  assert.deepEqual(guardsFor(candidate([8, 1, 1, 0, 1, 1], 25, 0.999), undefined, thresholds), ['possible-twin'], 'the roll\'s first name is only a middle name of the reported child: a twin')
  assert.deepEqual(guardsFor(candidate([6, 1, 2, 0, 1, 1], 25, 0.999), undefined, thresholds), ['possible-twin'], 'a swapped birthday does not hide a twin')
  assert.deepEqual(guardsFor(candidate([9, 1, 0, 0, 1, 1], 25, 0.999), undefined, thresholds), ['possible-twin'], 'no birthday given, same home, another name')
  assert.deepEqual(guardsFor(candidate([9, 6, 1, 0, 1, 1], 15, 0.99), undefined, thresholds), ['possible-twin'], 'a twin reported under the other parent\'s surname')
  assert.deepEqual(guardsFor(candidate([4, 1, 1, 0, 1, 1], 25, 0.999), undefined, thresholds), ['possible-twin'])
  // no address, but the same full postcode, still counts as the same home
  assert.deepEqual(guardsFor(candidate([6, 1, 1, 0, 1, 0], 18, 0.995), undefined, thresholds), ['possible-twin'])
})

test('siblings: same surname and home, a different date of birth, never automatic; a swapped date is not a sibling', () => {
  assert.deepEqual(guardsFor(candidate([1, 1, 5, 0, 1, 1], 18, 0.995), undefined, thresholds), ['possible-sibling'])
  assert.deepEqual(guardsFor(candidate([9, 1, 3, 0, 1, 1], 18, 0.995), undefined, thresholds), ['possible-sibling'], 'one digit off and a different first name: a sibling')
  assert.deepEqual(guardsFor(candidate([1, 1, 3, 0, 1, 1], 18, 0.995), undefined, thresholds), [], 'one digit off with the same first name: a slip, not a sibling')
  assert.deepEqual(guardsFor(candidate([1, 1, 4, 0, 1, 1], 18, 0.995), undefined, thresholds), ['possible-sibling'], 'a month apart with the same first name is still guarded')
  assert.deepEqual(guardsFor(candidate([1, 1, 2, 0, 1, 1], 18, 0.995), undefined, thresholds), [])
  assert.deepEqual(guardsFor(candidate([1, 1, 5, 0, 4, 3], 18, 0.995), undefined, thresholds), [], 'a different home is not the sibling guard')
})

test('bands at the thresholds', () => {
  assert.equal(bandFor(candidate([1], 1, 0.99), [], thresholds), 'auto')
  assert.equal(bandFor(candidate([1], 1, 0.98999), [], thresholds), 'review')
  assert.equal(bandFor(candidate([1], 1, 0.2), [], thresholds), 'review')
  assert.equal(bandFor(candidate([1], 1, 0.19999), [], thresholds), 'none')
  assert.equal(bandFor(undefined, [], thresholds), 'none')
})

test('calibration is monotone and matches observed rates', () => {
  const labelled: Array<{ weight: number, match: boolean }> = []
  for (let w = -20; w <= 20; w += 0.5) for (let k = 0; k < 20; k++) labelled.push({ weight: w, match: k < Math.round(20 / (1 + 2 ** (-w / 2))) })
  const calibration = calibrate(labelled)
  for (let i = 1; i < calibration.probabilities.length; i++) assert.ok(calibration.probabilities[i]! >= calibration.probabilities[i - 1]!)
  const model: LinkageModel = { lambda: 0.001, fields: [], calibration }
  assert.ok(calibratedProbability(model, -20) < 0.01)
  assert.ok(calibratedProbability(model, 20) > 0.99)
  assert.ok(Math.abs(calibratedProbability(model, 0) - 0.5) < 0.1)
})

test('matching end to end on a small roll: a twin on the roll is not sent automatically for the other twin', () => {
  const pupils: PersonRecord[] = [
    { id: 'P1', firstName: 'Hassan', lastName: 'Ali', dateOfBirth: '2016-05-09', gender: 'M', address: '7 Larch Grove', postcode: 'B21 8LP' },
    { id: 'P2', firstName: 'Olivia', lastName: 'Nowak', dateOfBirth: '2014-11-30', gender: 'F', address: '88 Bristol Road', postcode: 'B5 7XX' }
  ]
  const index = new RollIndex(pupils.map(prepare))
  const model: LinkageModel = {
    lambda: 1e-4,
    fields: [
      { m: [0, 0.9, 0.04, 0.02, 0.01, 0.01, 0.01, 0.005, 0.002, 0.003], u: [0, 0.01, 0.001, 0.002, 0.005, 0.01, 0.05, 0.001, 0.001, 0.92] },
      { m: [0, 0.9, 0.03, 0.03, 0.01, 0.01, 0.02], u: [0, 0.005, 0.0005, 0.001, 0.005, 0.01, 0.98] },
      { m: [0, 0.93, 0.02, 0.02, 0.01, 0.01, 0.01], u: [0, 0.0003, 0.0001, 0.002, 0.01, 0.07, 0.92] },
      { m: [0, 0.98, 0.02], u: [0, 0.5, 0.5] },
      { m: [0, 0.85, 0.05, 0.05, 0.05], u: [0, 0.0001, 0.003, 0.03, 0.97] },
      { m: [0, 0.85, 0.05, 0.1], u: [0, 0.0001, 0.003, 0.997] }
    ],
    calibration: null
  }
  const same = matchChild(index, model, prepare({ id: 'C1', firstName: 'hassan', lastName: 'ALI', dateOfBirth: '2016-05-09', address: '7 Larch Grove', postcode: 'B21 8LP' }))
  assert.equal(same.band, 'auto')
  assert.equal(same.best?.id, 'P1')
  const twin = matchChild(index, model, prepare({ id: 'C2', firstName: 'Hussein', lastName: 'Ali', dateOfBirth: '2016-05-09', address: '7 Larch Grove', postcode: 'B21 8LP' }))
  assert.notEqual(twin.band, 'auto')
  const stranger = matchChild(index, model, prepare({ id: 'C3', firstName: 'Grace', lastName: 'Adeyemi', dateOfBirth: '2013-01-02', address: '1 High Street', postcode: 'B1 1AA' }))
  assert.equal(stranger.band, 'none')
})
