import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newTotpSecret, totpCode, verifyTotp } from './totp.ts'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts'

const secret = newTotpSecret()
const at = Date.UTC(2026, 10, 22, 9, 0, 15)

test('a code is accepted in its own 30-second step and one either side, and not beyond', () => {
  const step = Math.floor(at / 30_000)
  assert.equal(verifyTotp(secret, totpCode(secret, at), null, at), step)
  assert.equal(verifyTotp(secret, totpCode(secret, at - 30_000), null, at), step - 1)
  assert.equal(verifyTotp(secret, totpCode(secret, at + 30_000), null, at), step + 1)
  assert.equal(verifyTotp(secret, totpCode(secret, at - 60_000), null, at), undefined)
  assert.equal(verifyTotp(secret, totpCode(secret, at + 60_000), null, at), undefined)
})

test('a code cannot be replayed, and rubbish is refused', () => {
  const code = totpCode(secret, at)
  const step = verifyTotp(secret, code, null, at)
  assert.ok(step)
  assert.equal(verifyTotp(secret, code, step, at), undefined)
  assert.equal(verifyTotp(secret, 'abcdef', null, at), undefined)
  assert.equal(verifyTotp(secret, '12345', null, at), undefined)
  assert.equal(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, at), step, 'spaces are ignored')
})

test('passwords: scrypt hashes verify, differ by salt, and reject the wrong password', async () => {
  const one = await hashPassword('a long enough password')
  const two = await hashPassword('a long enough password')
  assert.notEqual(one, two)
  assert.match(one, /^scrypt\$32768\$8\$1\$/)
  assert.equal(await verifyPassword('a long enough password', one), true)
  assert.equal(await verifyPassword('a long enough passworD', one), false)
  assert.equal(await verifyPassword('anything', null), false)
  assert.equal(passwordProblem('elevenchars'), 'Enter a password of at least 12 characters')
  assert.equal(passwordProblem('twelve chars'), undefined)
})
