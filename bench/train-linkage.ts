// npm run train:linkage: trains the default linkage model on synthetic data the Splink way (u from
// random pairs, lambda from a deterministic rule, m by EM, no labels), then calibrates it on a
// separate labelled set, and writes src/linkage/default-model.json.
import { writeFileSync } from 'node:fs'
import { RollIndex } from '../src/linkage/roll-index.ts'
import { calibrateModel, labelledBest, trainModel } from '../src/linkage/train.ts'
import { FIELDS } from '../src/linkage/comparisons.ts'
import type { Calibration } from '../src/linkage/model.ts'
import { prepareChild, preparePupil, syntheticSet } from './linkage-data.ts'

const started = performance.now()
const training = syntheticSet(200_000, 20_000, 101)
const index = new RollIndex(training.roll.map(preparePupil))
const { model: trained, pairs, matchShare } = trainModel(index, training.children.map(prepareChild), { seed: 7 })
const model = trained
console.log(`trained on ${pairs.toLocaleString('en-GB')} candidate pairs (EM match share ${matchShare.toFixed(3)}), lambda ${model.lambda.toExponential(3)}`)
for (const [field, definition] of FIELDS.entries()) {
  const parameters = model.fields[field]!
  console.log(`  ${definition.name}: ${definition.levels.slice(1).map((label, i) => `${label} m=${parameters.m[i + 1]!.toFixed(3)} u=${parameters.u[i + 1]!.toExponential(1)}`).join('; ')}`)
}

// calibration on a different roll and different children, labelled by the generator's ground truth
const labelled = [202, 404].flatMap((seed) => {
  const calibrationSet = syntheticSet(200_000, 20_000, seed)
  const calibrationIndex = new RollIndex(calibrationSet.roll.map(preparePupil))
  return labelledBest(calibrationIndex, model, calibrationSet.children.map((c) => ({ record: prepareChild(c), trueId: c.truePupilId })))
})
const calibrated = calibrateModel(model, labelled)
const round = (x: number, digits: number) => Number(x.toFixed(digits))
const curve = (c: Calibration) => ({ weights: c.weights.map((x) => round(x, 3)), probabilities: c.probabilities.map((x) => round(x, 5)) })
const saved = {
  lambda: model.lambda,
  fields: model.fields.map((f) => ({ m: f.m.map((x) => round(x, 6)), u: f.u.map((x) => Number(x.toPrecision(4))) })),
  calibration: curve(calibrated.calibration!),
  guardedCalibration: curve(calibrated.guardedCalibration!)
}
writeFileSync(new URL('../src/linkage/default-model.json', import.meta.url), `${JSON.stringify(saved, null, 1)}\n`)
console.log(`calibrated on ${labelled.length.toLocaleString('en-GB')} labelled children (best candidate each); wrote src/linkage/default-model.json in ${((performance.now() - started) / 1000).toFixed(1)} s`)
