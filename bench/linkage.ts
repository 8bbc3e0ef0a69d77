// Linkage figures (npm run bench): accuracy on a generated hard set, calibration, speed and memory.
// Figures only, never assertions.
import { RollIndex } from '../src/linkage/roll-index.ts'
import { DEFAULT_THRESHOLDS, matchChild } from '../src/linkage/match.ts'
import type { MatchResult, Thresholds } from '../src/linkage/match.ts'
import { defaultModel } from '../src/rolls/link-files.ts'
import { prepareChild, preparePupil, syntheticSet } from './linkage-data.ts'
import type { SyntheticChild } from '../src/linkage/synthetic.ts'

export function accuracy(children: SyntheticChild[], results: MatchResult[]) {
  let auto = 0, autoRight = 0, review = 0, onRoll = 0, onRollAuto = 0, onRollFound = 0
  const calibrationBins = Array.from({ length: 10 }, () => ({ n: 0, right: 0, p: 0 }))
  children.forEach((child, i) => {
    const result = results[i]!
    const right = result.best !== undefined && result.best.id === child.truePupilId
    if (result.band === 'auto') {
      auto++
      if (right) autoRight++
    }
    if (result.band === 'review') review++
    if (child.truePupilId) {
      onRoll++
      if (result.band === 'auto' && right) onRollAuto++
      if ((result.band === 'auto' && right) || (result.band === 'review' && result.candidates.some((c) => c.id === child.truePupilId))) onRollFound++
    }
    if (result.best) {
      const bin = calibrationBins[Math.min(9, Math.floor(result.best.probability * 10))]!
      bin.n++
      bin.p += result.best.probability
      if (right) bin.right++
    }
  })
  const total = calibrationBins.reduce((s, b) => s + b.n, 0)
  const ece = calibrationBins.reduce((s, b) => s + (b.n === 0 ? 0 : Math.abs(b.p / b.n - b.right / b.n) * b.n / total), 0)
  return {
    children: children.length,
    autoPrecision: auto === 0 ? 1 : autoRight / auto,
    autoWrong: auto - autoRight,
    onRollAutoShare: onRollAuto / onRoll,
    onRollFoundShare: onRollFound / onRoll,
    reviewShare: review / children.length,
    expectedCalibrationError: ece,
    calibrationBins: calibrationBins.map((b, i) => `${i / 10}-${(i + 1) / 10}: ${b.n} predicted ${(b.n ? b.p / b.n : 0).toFixed(3)} observed ${(b.n ? b.right / b.n : 0).toFixed(3)}`)
  }
}

export function hardSet(thresholds: Thresholds = DEFAULT_THRESHOLDS, pupils = 200_000, children = 20_000, seed = 303) {
  const set = syntheticSet(pupils, children, seed)
  const index = new RollIndex(set.roll.map(preparePupil))
  const model = defaultModel()
  const results = set.children.map((c) => matchChild(index, model, prepareChild(c), thresholds))
  return { ...accuracy(set.children, results), set, results }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { set: _set, results: _results, calibrationBins, ...figures } = hardSet()
  console.log('Hard set: 20,000 children against a 200,000-pupil roll (15% not on the roll, half of them siblings or twins of pupils)')
  console.log(figures)
  console.log(calibrationBins.join('\n'))
}
