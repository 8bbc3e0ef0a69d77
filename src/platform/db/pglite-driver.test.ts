import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConnectionLock } from './pglite-driver.ts'

test('the connection goes to one holder at a time, in the order asked', async () => {
  const lock = new ConnectionLock()
  const order: string[] = []
  await Promise.all([1, 2, 3].map((n) => lock.run(async () => {
    order.push(`start ${n}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
    order.push(`end ${n}`)
  })))
  assert.deepEqual(order, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'])
})

test('work that takes the connection back to back lets the event loop turn between holders', async () => {
  const lock = new ConnectionLock()
  const order: string[] = []
  const worker = (async () => {
    for (let i = 0; i < 5; i++) await lock.run(async () => { order.push('work') })
  })()
  // what a request arriving on the network would be: a callback of the event loop
  setImmediate(() => order.push('network'))
  await worker
  const network = order.indexOf('network')
  assert.ok(network >= 0 && network < order.lastIndexOf('work'), `the network callback waited for all the work: ${order.join(', ')}`)
})
