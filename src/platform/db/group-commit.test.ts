import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { GroupCommit } from './group-commit.ts'

interface Item { key: string, value: number, bad?: boolean }

/** A write that records each batch it was given, takes a little time, and fails a batch holding a bad item. */
function recorder(ms = 5) {
  const batches: Item[][] = []
  let inFlight = 0
  let mostInFlight = 0
  const write = async (items: Item[]) => {
    batches.push(items)
    inFlight++
    mostInFlight = Math.max(mostInFlight, inFlight)
    await sleep(ms)
    inFlight--
    if (items.some((i) => i.bad)) throw new Error(`bad item ${items.find((i) => i.bad)?.value}`)
    return items.map((i) => i.value * 10)
  }
  return { write, batches, mostInFlight: () => mostInFlight }
}

test('a request alone is written at once, alone', async () => {
  const r = recorder()
  const group = new GroupCommit(r.write, { writers: 2, batch: 8, key: (i: Item) => i.key })
  assert.equal(await group.submit({ key: 'a', value: 1 }), 10)
  assert.deepEqual(r.batches.map((b) => b.length), [1])
})

/** Submits the first item, lets its batch start, then submits the rest while it is being written. */
async function firstThenRest<R>(group: GroupCommit<Item, R>, items: Item[]) {
  const first = group.submit(items[0]!)
  await new Promise((resolve) => setImmediate(resolve))
  return await Promise.allSettled([first, ...items.slice(1).map((item) => group.submit(item))])
}

const values = <R>(outcomes: Array<PromiseSettledResult<R>>) => outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))

test('requests that come in the same turn of the event loop are written together', async () => {
  const r = recorder()
  const group = new GroupCommit(r.write, { writers: 2, batch: 8, key: (i: Item) => i.key })
  assert.deepEqual(await Promise.all([1, 2, 3].map((value) => group.submit({ key: `k${value}`, value }))), [10, 20, 30])
  assert.deepEqual(r.batches.map((b) => b.length), [3])
})

test('requests arriving while the writers are busy are written together, at most `batch` at a time, and each gets its own result', async () => {
  const r = recorder()
  const group = new GroupCommit(r.write, { writers: 1, batch: 4, key: (i: Item) => i.key })
  const results = values(await firstThenRest(group, Array.from({ length: 10 }, (_, n) => ({ key: `k${n}`, value: n }))))
  assert.deepEqual(results, Array.from({ length: 10 }, (_, n) => n * 10))
  // the first goes at once; the other nine waited, and go four, four, one
  assert.deepEqual(r.batches.map((b) => b.length), [1, 4, 4, 1])
  assert.deepEqual(r.batches.flat().map((i) => i.value), Array.from({ length: 10 }, (_, n) => n), 'in the order they came')
  assert.equal(r.mostInFlight(), 1)
  assert.equal(group.waiting, 0)
})

test('no more transactions at once than writers', async () => {
  const r = recorder()
  const group = new GroupCommit(r.write, { writers: 3, batch: 2, key: (i: Item) => i.key })
  await Promise.all(Array.from({ length: 20 }, (_, n) => group.submit({ key: `k${n}`, value: n })))
  assert.equal(r.mostInFlight(), 3)
  assert.ok(r.batches.every((b) => b.length <= 2))
})

test('two requests with the same key are never in one batch: the second goes in a later one', async () => {
  const r = recorder()
  const group = new GroupCommit(r.write, { writers: 1, batch: 10, key: (i: Item) => i.key })
  const results = values(await firstThenRest(group, [{ key: 'first', value: 0 }, { key: 'same', value: 1 }, { key: 'other', value: 2 }, { key: 'same', value: 3 }]))
  assert.deepEqual(results, [0, 10, 20, 30])
  assert.deepEqual(r.batches.map((b) => b.map((i) => i.value)), [[0], [1, 2], [3]])
})

test('a request whose key is being written waits for that batch, even with a writer free, and keeps its order; other keys go ahead', async () => {
  const r = recorder(20)
  const group = new GroupCommit(r.write, { writers: 3, batch: 10, key: (i: Item) => i.key })
  const outcomes = await firstThenRest(group, [{ key: 'ref', value: 1 }, { key: 'ref', value: 2 }, { key: 'other', value: 3 }, { key: 'ref', value: 4 }])
  assert.deepEqual(values(outcomes), [10, 20, 30, 40])
  // 'other' goes at once beside the first; the second and third of 'ref' each wait for the one before
  assert.deepEqual(r.batches.map((b) => b.map((i) => i.value)), [[1], [3], [2], [4]])
})

test('a batch that fails is written again one by one: the bad request gets its error, the others their results', async () => {
  const r = recorder()
  const group = new GroupCommit(r.write, { writers: 1, batch: 10, key: (i: Item) => i.key })
  const outcomes = await firstThenRest(group, [{ key: 'a', value: 0 }, { key: 'b', value: 1 }, { key: 'c', value: 2, bad: true }, { key: 'd', value: 3 }])
  assert.deepEqual(values(outcomes), [0, 10, 'bad item 2', 30])
  assert.deepEqual(r.batches.map((b) => b.map((i) => i.value)), [[0], [1, 2, 3], [1], [2], [3]])
})

test('a write that answers too few results fails every request in its batch, without writing anything again', async () => {
  const batches: number[] = []
  const group = new GroupCommit(async (items: Item[]) => {
    batches.push(items.length)
    await sleep(1)
    return items.slice(1).map((i) => i.value)
  }, { writers: 1, batch: 10, key: (i: Item) => i.key })
  const outcomes = await firstThenRest(group, [{ key: 'a', value: 1 }, { key: 'b', value: 2 }, { key: 'c', value: 3 }])
  assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected', 'rejected'])
  assert.match(String((outcomes[2] as PromiseRejectedResult).reason), /answered 1 results for 2 items/)
  assert.deepEqual(batches, [1, 2])
})

test('a group commit needs a writer and a batch of at least one', () => {
  assert.throws(() => new GroupCommit(async (items: Item[]) => items, { writers: 0, batch: 1, key: (i) => i.key }), /at least one writer/)
})
