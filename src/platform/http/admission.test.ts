import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Admission } from './admission.ts'

test('at most the limit at work, the queue behind them in order, and a refusal beyond the queue', async () => {
  const admission = new Admission(2, 1)
  const first = await admission.enter()
  const second = await admission.enter()
  assert.ok(first && second)
  let thirdAdmitted = false
  const third = admission.enter().then((release) => { thirdAdmitted = true; return release })
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(thirdAdmitted, false, 'the third waits while two are at work')
  assert.equal(await admission.enter(), undefined, 'a fourth is turned away: the queue is full')
  first()
  first()
  const release = await third
  assert.equal(thirdAdmitted, true, 'a released slot passes to the one waiting')
  assert.ok(release)
  // releasing twice frees one slot only: two are at work (second, third), so one more waits
  let fifthAdmitted = false
  void admission.enter().then(() => { fifthAdmitted = true })
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(fifthAdmitted, false)
  second()
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(fifthAdmitted, true)
})
