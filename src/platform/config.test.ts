import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig, ConfigError } from './config.ts'

test('outside production everything has a working default', () => {
  const config = loadConfig({})
  assert.equal(config.production, false)
  assert.equal(config.port, 3000)
  assert.equal(config.sessionIdleMinutes, 15)
  assert.equal(config.databaseUrl, undefined)
  assert.equal(config.loadDemoData, true)
  assert.equal(config.smtpUrl, undefined)
  assert.equal(config.encompassEarlyYears, false, 'the early years route is off unless the partnership turns it on')
  assert.equal(loadConfig({ ENCOMPASS_EARLY_YEARS: 'true' }).encompassEarlyYears, true)
  assert.equal(config.encompassCouncilEscalationMinutes, config.encompassEscalationMinutes, 'the council\'s escalation margin is the deputies\' one unless set')
  assert.equal(loadConfig({ ENCOMPASS_ESCALATION_MINUTES: '45' }).encompassCouncilEscalationMinutes, 45)
  assert.equal(loadConfig({ ENCOMPASS_ESCALATION_MINUTES: '45', ENCOMPASS_COUNCIL_ESCALATION_MINUTES: '120' }).encompassCouncilEscalationMinutes, 120)
  assert.throws(() => loadConfig({ ENCOMPASS_COUNCIL_ESCALATION_MINUTES: 'soon' }), /ENCOMPASS_COUNCIL_ESCALATION_MINUTES must be a whole number/)
  assert.ok(config.sessionSecret.length >= 32)
  assert.notEqual(loadConfig({}).sessionSecret, config.sessionSecret, 'the development secret is random, never a constant in the code')
})

test('production refuses to start without each secret and setting, naming them', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), (error: Error) => {
    assert.ok(error instanceof ConfigError)
    for (const name of ['PUBLIC_URL', 'SESSION_SECRET', 'SMTP_URL', 'DATABASE_URL']) assert.ok(error.message.includes(name), `names ${name}: ${error.message}`)
    return true
  })
  const complete = { NODE_ENV: 'production', PUBLIC_URL: 'https://harbour.example.org/', SESSION_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail.example.org', DATABASE_URL: 'postgres://db.example.org/harbour' }
  const config = loadConfig(complete)
  assert.equal(config.publicUrl, 'https://harbour.example.org')
  assert.equal(config.loadDemoData, false)
  assert.throws(() => loadConfig({ ...complete, SESSION_SECRET: 'short' }), /SESSION_SECRET must be at least 32/)
  assert.throws(() => loadConfig({ ...complete, HARBOUR_DEMO: 'true' }), /HARBOUR_DEMO must not be true in production/)
})

test('bad numbers and flags are named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a whole number/)
  assert.throws(() => loadConfig({ SESSION_IDLE_MINUTES: '0' }), /SESSION_IDLE_MINUTES must be a whole number of at least 1/)
  assert.throws(() => loadConfig({ HARBOUR_DEMO: 'perhaps' }), /HARBOUR_DEMO must be true or false/)
})
