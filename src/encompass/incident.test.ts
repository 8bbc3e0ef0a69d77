import { test } from 'node:test'
import assert from 'node:assert/strict'
import { notificationContent, reportHash, validateIncident } from './incident.ts'

const now = new Date('2026-11-21T10:00:00Z')
const good = {
  policeReference: 'HPF/26/000123', occurredAt: '2026-11-20T21:15:00Z', location: 'Home address', circumstances: 'Verbal argument; neighbours called police (synthetic)', riskGrade: 'medium',
  adults: [{ label: 'A', firstName: 'Sam', lastName: 'Example' }, { label: 'B', firstName: 'Alex', lastName: 'Example', dateOfBirth: '1990-02-03' }],
  children: [{ firstName: 'Jo', lastName: 'Example', dateOfBirth: '2016-04-05', present: true, spokenTo: true, voiceOfChild: 'Said they were scared (synthetic)', educationSettingUrn: '990001' }]
}

test('a good report passes and is normalised', () => {
  const result = validateIncident(good, now)
  assert.ok(result.ok)
  assert.equal(result.report.occurredAt, '2026-11-20T21:15:00.000Z')
  assert.equal(result.report.children[0]?.present, true)
})

test('every bad field is named, nested ones by position', () => {
  const result = validateIncident({
    ...good, policeReference: '', occurredAt: 'last night', riskGrade: 'severe',
    adults: [{ label: 'C', firstName: 'Sam' }],
    children: [{ ...good.children[0], dateOfBirth: '2016-02-30', present: 'yes', gender: 'boy', educationSettingUrn: '12' }, { firstName: 'Kim' }]
  }, now)
  assert.ok(!result.ok)
  const fields = result.errors.map((e) => e.field)
  for (const field of ['policeReference', 'occurredAt', 'riskGrade', 'adults[0].label', 'adults[0].lastName', 'children[0].dateOfBirth', 'children[0].present', 'children[0].gender', 'children[0].educationSettingUrn', 'children[1].lastName', 'children[1].dateOfBirth', 'children[1].present']) {
    assert.ok(fields.includes(field), `names ${field}: ${fields.join(', ')}`)
  }
})

test('no children, a future incident, a child born after it', () => {
  assert.deepEqual(validateIncident({ ...good, children: [] }, now), { ok: false, errors: [{ field: 'children', message: 'must list at least one child' }] })
  const future = validateIncident({ ...good, occurredAt: '2026-11-22T10:00:00Z' }, now)
  assert.ok(!future.ok && future.errors.some((e) => e.field === 'occurredAt' && /future/.test(e.message)))
  const unborn = validateIncident({ ...good, children: [{ ...good.children[0], dateOfBirth: '2026-11-21' }] }, now)
  assert.ok(!unborn.ok && unborn.errors.some((e) => e.field === 'children[0].dateOfBirth'))
  assert.deepEqual(validateIncident('nonsense', now), { ok: false, errors: [{ field: '(body)', message: 'must be a JSON object' }] })
})

test('the same content has the same fingerprint whatever the key order; a change changes it', () => {
  const a = validateIncident(good, now)
  const reordered = validateIncident(Object.fromEntries(Object.entries(good).reverse()), now)
  const changed = validateIncident({ ...good, location: 'Street' }, now)
  assert.ok(a.ok && reordered.ok && changed.ok)
  assert.equal(reportHash(a.report), reportHash(reordered.report))
  assert.notEqual(reportHash(a.report), reportHash(changed.report))
})

test('the minimal content policy leaves out the circumstances, place and voice of the child', () => {
  const result = validateIncident(good, now)
  assert.ok(result.ok)
  const child = result.report.children[0]!
  const minimal = notificationContent(result.report, child, 'minimal')
  assert.deepEqual(Object.keys(minimal).sort(), ['childName', 'dateOfBirth', 'occurredAt', 'present', 'spokenTo'])
  const full = notificationContent(result.report, child, 'full')
  assert.equal(full.voiceOfChild, 'Said they were scared (synthetic)')
  assert.equal(full.policeReference, 'HPF/26/000123')
})
