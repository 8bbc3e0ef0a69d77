import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validateResponse } from './response.ts'

const good = { support: 'silent', welfareCheck: 'yes', parentContact: 'not-contacted', parentContactReason: 'Contact could alert the perpetrator to the disclosure', mashReferral: 'no', staffTold: 'Class teacher (Ms A)' }

test('a complete response from the form is accepted, yes/no read as booleans', () => {
  const result = validateResponse(good)
  assert.ok(result.ok)
  assert.equal(result.response.welfareCheck, true)
  assert.equal(result.response.mashReferral, false)
})

test('JSON booleans are accepted too', () => {
  assert.ok(validateResponse({ ...good, welfareCheck: false, mashReferral: true }).ok)
})

test('each missing or wrong field is named', () => {
  const result = validateResponse({ support: 'loud', parentContactReason: 'short' })
  assert.ok(!result.ok)
  assert.deepEqual(result.errors.map((e) => e.field), ['support', 'welfareCheck', 'parentContact', 'parentContactReason', 'mashReferral'])
})

test('the reason for the parent-contact decision is required whichever way it went', () => {
  for (const parentContact of ['contacted', 'not-contacted']) {
    const result = validateResponse({ ...good, parentContact, parentContactReason: '   ' })
    assert.ok(!result.ok)
    assert.equal(result.errors[0]?.field, 'parentContactReason')
  }
})
