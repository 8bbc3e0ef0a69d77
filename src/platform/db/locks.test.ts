import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LOCKS } from './locks.ts'

test('no two advisory locks share a number', () => {
  const numbers = Object.values(LOCKS)
  assert.equal(new Set(numbers).size, numbers.length)
})
