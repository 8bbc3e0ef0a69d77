// One typed configuration, read once at start-up. In production a missing secret or setting stops
// start-up with a message naming it; no secret has a production default.
import { randomBytes } from 'node:crypto'
import path from 'node:path'

export interface Config {
  production: boolean
  port: number
  host: string
  publicUrl: string
  /** postgres://... when running on a PostgreSQL server; undefined for the embedded database */
  databaseUrl: string | undefined
  /** folder for the embedded database, or 'memory' for a throwaway one (tests) */
  dataDir: string
  sessionSecret: string
  sessionIdleMinutes: number
  signInMaxFailures: number
  signInLockMinutes: number
  /** smtp://user:pass@host:port; undefined sends mail to the development outbox */
  smtpUrl: string | undefined
  mailFrom: string
  loadDemoData: boolean
  logLevel: string
  trustProxy: boolean
  jobPollingSeconds: number
  /** Operation Encompass: send children under school age to the council's early years team (a local choice) */
  encompassEarlyYears: boolean
  /** Operation Encompass: what a setting is shown, the full statutory set or a minimal set */
  encompassContentPolicy: 'full' | 'minimal'
  /** Operation Encompass: minutes after the school-day start before an unopened notification is escalated */
  encompassEscalationMinutes: number
  encompassCouncilEscalationMinutes: number
  /** Operation Encompass deadline: the statutory start of the next school day, or an older local rule (noon of that day) */
  encompassDeadlineRule: 'statutory' | 'local-noon'
  /** Operation Encompass: a child waiting for review is "at risk" of missing its deadline this many minutes before it */
  encompassReviewAtRiskMinutes: number
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min = 1): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, not "${raw}"`)
  return value
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if ((allowed as readonly string[]).includes(raw)) return raw as T
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, not "${raw}"`)
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false
  throw new ConfigError(`${name} must be true or false, not "${raw}"`)
}

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production'
  const missing: string[] = []
  const required = (name: string, developmentDefault: () => string): string => {
    const value = env[name]
    if (value !== undefined && value !== '') return value
    if (production) {
      missing.push(name)
      return ''
    }
    return developmentDefault()
  }

  const port = integer(env, 'PORT', 3000, 0)
  const host = env.HOST || (production ? '0.0.0.0' : '127.0.0.1')
  const config: Config = {
    production,
    port,
    host,
    publicUrl: required('PUBLIC_URL', () => `http://localhost:${port}`).replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.HARBOUR_DATA_DIR === 'memory' ? 'memory' : path.resolve(env.HARBOUR_DATA_DIR || 'data'),
    // Outside production a fresh random secret each start: sessions end when the server restarts.
    sessionSecret: required('SESSION_SECRET', () => randomBytes(32).toString('base64url')),
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 15),
    signInMaxFailures: integer(env, 'SIGN_IN_MAX_FAILURES', 5),
    signInLockMinutes: integer(env, 'SIGN_IN_LOCK_MINUTES', 15),
    smtpUrl: production ? required('SMTP_URL', () => '') : env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Harbour <no-reply@harbour.invalid>',
    loadDemoData: flag(env, 'HARBOUR_DEMO', !production),
    logLevel: env.LOG_LEVEL || (production ? 'info' : 'warn'),
    trustProxy: flag(env, 'TRUST_PROXY', false),
    jobPollingSeconds: integer(env, 'JOB_POLLING_SECONDS', 2),
    encompassEarlyYears: flag(env, 'ENCOMPASS_EARLY_YEARS', false),
    encompassContentPolicy: oneOf(env, 'ENCOMPASS_CONTENT_POLICY', ['full', 'minimal'], 'full'),
    encompassEscalationMinutes: integer(env, 'ENCOMPASS_ESCALATION_MINUTES', 30, 0),
    // after the deputies were told, before the council is; unless the partnership says otherwise, the same margin again
    encompassCouncilEscalationMinutes: integer(env, 'ENCOMPASS_COUNCIL_ESCALATION_MINUTES', integer(env, 'ENCOMPASS_ESCALATION_MINUTES', 30, 0), 0),
    encompassDeadlineRule: oneOf(env, 'ENCOMPASS_DEADLINE_RULE', ['statutory', 'local-noon'], 'statutory'),
    encompassReviewAtRiskMinutes: integer(env, 'ENCOMPASS_REVIEW_AT_RISK_MINUTES', 120, 0)
  }
  if (production && !config.databaseUrl) missing.push('DATABASE_URL')
  if (missing.length > 0) {
    throw new ConfigError(`Harbour cannot start in production without: ${missing.join(', ')}. Set ${missing.length > 1 ? 'them' : 'it'} in the environment.`)
  }
  if (production && config.sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters in production')
  }
  if (production && config.loadDemoData) {
    throw new ConfigError('HARBOUR_DEMO must not be true in production: demo accounts skip the second factor')
  }
  return config
}
