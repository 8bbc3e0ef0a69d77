// Passwords hashed with scrypt (memory-hard, from node:crypto): 32 MiB and about a tenth of a second each.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>
const N = 2 ** 15
const r = 8
const p = 1
const KEY_LENGTH = 32
const MAX_MEMORY = 64 * 1024 * 1024

export const MIN_PASSWORD_LENGTH = 12

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: MAX_MEMORY })
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // With no stored hash, still spend the same effort so that timing does not reveal which accounts exist.
  const [scheme, n, rr, pp, salt, key] = (stored ?? `scrypt$${N}$${r}$${p}$${randomBytes(16).toString('base64')}$`).split('$')
  if (scheme !== 'scrypt' || !salt || key === undefined) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), KEY_LENGTH, { N: Number(n), r: Number(rr), p: Number(pp), maxmem: MAX_MEMORY })
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Enter a password of at least ${MIN_PASSWORD_LENGTH} characters`
  if (password.length > 200) return 'Enter a password of 200 characters or fewer'
  return undefined
}
