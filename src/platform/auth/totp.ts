// Time-based one-time passwords (RFC 6238), the second factor for everyone who can see children's records.
import * as OTPAuth from 'otpauth'

const PERIOD = 30

function totp(secret: string, label = 'Harbour'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Harbour', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) })
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32
}

export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString()
}

export function totpCode(secret: string, at = Date.now()): string {
  return totp(secret).generate({ timestamp: at })
}

/**
 * Checks a code against the current 30-second step and one either side. Returns the step it matched,
 * which must be later than the last one used (a code cannot be replayed), or undefined.
 */
export function verifyTotp(secret: string, code: string, lastStep: number | null, at = Date.now()): number | undefined {
  const cleaned = code.replace(/\s/g, '')
  if (!/^[0-9]{6}$/.test(cleaned)) return undefined
  const delta = totp(secret).validate({ token: cleaned, timestamp: at, window: 1 })
  if (delta === null) return undefined
  const step = Math.floor(at / 1000 / PERIOD) + delta
  if (lastStep !== null && step <= lastStep) return undefined
  return step
}
