// Incidents as a CSV batch: grouping rows by reference, the header, the yes/no and date columns, and
// every problem named by row and column (validateIncident's field paths turned into CSV cells).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { EXAMPLE_INCIDENT_CSV, INCIDENT_CSV_COLUMNS, MAX_CSV_ROWS, checkIncidentCsv, decodeCsvBytes, parseIncidentCsv, problemText } from './incident-csv.ts'
import { validateIncident } from './incident.ts'

const NOW = new Date('2026-11-23T12:00:00Z')
const HEADER = INCIDENT_CSV_COLUMNS.join(',')

type Cells = Partial<Record<typeof INCIDENT_CSV_COLUMNS[number], string>>

const BASE: Cells = {
  policeReference: 'HPF/1', occurredAt: '2026-11-20 21:15', location: 'Home address (synthetic)', circumstances: 'Shouting heard (synthetic)', riskGrade: 'medium',
  adultAFirstName: 'Jo', adultALastName: 'Example', childFirstName: 'Ada', childLastName: 'Example', childDateOfBirth: '2016-04-09', childPresent: 'yes'
}

function row(cells: Cells = {}): string {
  const all = { ...BASE, ...cells }
  return INCIDENT_CSV_COLUMNS.map((column) => {
    const value = all[column] ?? ''
    return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
  }).join(',')
}

const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`

function problems(text: string): string[] {
  const result = checkIncidentCsv(text, NOW)
  assert.equal(result.ok, false, 'the file should be refused')
  return result.ok ? [] : result.problems.map(problemText)
}

test('rows with the same reference are one incident, each row a child, in the API\'s shape', () => {
  const result = checkIncidentCsv(csv(
    row({ childFirstName: 'Ada', childSpokenTo: 'no', childGender: 'f' }),
    row({ policeReference: 'HPF/2', riskGrade: '', childFirstName: 'Bo', childPresent: 'No', occurredAt: '2026-11-21T07:40:00Z' }),
    row({ childFirstName: 'Cy', childDateOfBirth: '30/10/2019', childPresent: 'YES', educationSettingUrn: '990001' })
  ), NOW)
  assert.ok(result.ok)
  assert.equal(result.incidents.length, 2)
  const [first, second] = result.incidents
  assert.deepEqual(first?.rows, [2, 4])
  assert.equal(first?.body.occurredAt, '2026-11-20T21:15:00.000Z', 'a time without a zone is UK time (GMT in November)')
  assert.deepEqual(first?.body.adults, [{ label: 'A', firstName: 'Jo', lastName: 'Example' }])
  assert.deepEqual(first?.body.children.map((c) => [c.firstName, c.dateOfBirth, c.present, c.spokenTo, c.gender, c.educationSettingUrn]), [
    ['Ada', '2016-04-09', true, false, 'F', undefined],
    ['Cy', '2019-10-30', true, undefined, undefined, '990001']
  ])
  assert.equal(second?.body.riskGrade, null, 'an empty risk grade is "not assessed"')
  assert.equal(second?.body.children[0]?.present, false)
  // the body is what the API takes
  const checked = validateIncident(first?.body, NOW)
  assert.ok(checked.ok)
  assert.equal(checked.report.children.length, 2)
})

test('a date and time in summer is read as British Summer Time', () => {
  const result = parseIncidentCsv(csv(row({ occurredAt: '2026-07-01 09:00' })))
  assert.equal(result.incidents[0]?.body.occurredAt, '2026-07-01T08:00:00.000Z')
})

test('validateIncident\'s field errors are named by row and column', () => {
  assert.deepEqual(problems(csv(
    row(),
    row({ policeReference: 'HPF/2', childFirstName: 'Bo' }),
    row({ policeReference: 'HPF/2', childFirstName: '', childDateOfBirth: '2016-02-30', educationSettingUrn: '12345' }),
    row({ policeReference: 'HPF/3', location: '', adultBLastName: 'Only' })
  )), [
    'Row 4: childFirstName is required',
    'Row 4: childDateOfBirth must be a date, YYYY-MM-DD',
    'Row 4: educationSettingUrn must be a 6-digit URN',
    'Row 5: location is required',
    'Row 5: adultBFirstName is required'
  ])
})

test('an incident\'s own columns must agree across its rows; its own problems name all its rows', () => {
  assert.deepEqual(problems(csv(
    row({ occurredAt: '2027-01-01 10:00' }),
    row({ childFirstName: 'Bo', location: 'Somewhere else', occurredAt: '2027-01-01 10:00' }),
    row({ childFirstName: 'Cy', occurredAt: '01/01/2027 10:00' })
  )), [
    'Rows 2 to 4: occurredAt must not be in the future',
    'Row 3: location is not the same as on row 2: each row of incident HPF/1 must have the same location'
  ])
})

test('yes/no, risk grade and date-time columns are checked once, in the CSV\'s words', () => {
  assert.deepEqual(problems(csv(
    row({ childPresent: '' }),
    row({ policeReference: 'HPF/2', childPresent: 'maybe', childSpokenTo: 'sort of', riskGrade: 'very', occurredAt: 'last night' })
  )), [
    'Row 2: childPresent is required: yes or no',
    'Row 3: occurredAt must be a date and time, like 2026-11-20 21:15 (UK time) or 2026-11-20T21:15:00Z',
    'Row 3: riskGrade must be standard, medium or high, or empty if the risk was not assessed',
    'Row 3: childPresent must be yes or no',
    'Row 3: childSpokenTo must be yes, no, or empty if not recorded'
  ])
})

test('unknown, repeated and missing header columns are named', () => {
  assert.deepEqual(problems('policeReference,occurredAt,location,circumstances,childFirstName,childSurname,childDOB,childFirstName\r\nX,2026-11-20 21:15,a,b,c,d,e,f\r\n'), [
    'Row 1: the header has columns Harbour does not know: "childSurname" and "childDOB". Use the template\'s column names',
    'Row 1: the header has childFirstName more than once',
    'Row 1: the header is missing the columns childLastName, childDateOfBirth and childPresent'
  ])
  // optional columns may be left out, and the order and case of names do not matter
  const result = checkIncidentCsv('CHILDPRESENT,policeReference,occurredAt,location,circumstances,childFirstName,childLastName,childDateOfBirth\r\nno,HPF/9,2026-11-20 21:15,Home,Shouting,Ada,Example,2016-04-09\r\n', NOW)
  assert.ok(result.ok)
  assert.equal(result.incidents[0]?.body.children[0]?.present, false)
})

test('row numbers are a spreadsheet\'s: a cell with line breaks is one row, blank rows count', () => {
  assert.deepEqual(problems(csv(
    row({ circumstances: 'Line one\nline two\nline three' }),
    '',
    row({ policeReference: 'HPF/2', childLastName: '' })
  )), ['Row 4: childLastName is required'])
})

test('a row with the wrong number of values, a row with no reference, an empty file, an unclosed quote', () => {
  assert.deepEqual(problems(csv('HPF/1,2026-11-20 21:15,Home', row({ policeReference: '' }))), [
    'Row 2: has 3 values, but the header has 24 columns',
    'Row 3: policeReference is required: each row is a child in the incident with that reference'
  ])
  assert.deepEqual(problems(''), ['The file is empty: it needs a header row and a row for each child'])
  assert.deepEqual(problems(`${HEADER}\r\n,,,\r\n`), ['The file has a header but no rows: add a row for each child'])
  assert.match(problems(csv(row({ location: 'x' }).replace(',x,', ',"x,')))[0] ?? '', /not a CSV Harbour can read/)
})

test('more than 20 children in an incident, and more rows than an upload takes', () => {
  const many = Array.from({ length: 21 }, (_, i) => row({ childFirstName: `Child${i}` }))
  assert.deepEqual(problems(csv(...many)), ['Rows 2 to 22: policeReference HPF/1 has 21 rows (children), and an incident has at most 20'])
  const tooMany = Array.from({ length: MAX_CSV_ROWS + 1 }, (_, i) => row({ policeReference: `HPF/${i}` }))
  assert.match(problems(csv(...tooMany))[0] ?? '', /1,001 rows; one upload takes up to 1,000 children/)
})

test('a file saved as Windows-1252 is read as such; UTF-8 as UTF-8', () => {
  assert.equal(decodeCsvBytes(Buffer.from('Zoë,Ó Sé', 'utf8')), 'Zoë,Ó Sé')
  assert.equal(decodeCsvBytes(Uint8Array.from([0x5a, 0x6f, 0xeb])), 'Zoë')
})

test('the shipped example is the template the upload page offers, and it is a valid batch', () => {
  const fixture = readFileSync(new URL('../../test/fixtures/incidents/example-incidents.csv', import.meta.url), 'utf8')
  assert.equal(fixture, EXAMPLE_INCIDENT_CSV)
  const result = checkIncidentCsv(fixture, NOW)
  assert.ok(result.ok, result.ok ? '' : result.problems.map(problemText).join('\n'))
  assert.deepEqual(result.incidents.map((incident) => [incident.policeReference, incident.rows]), [['HPF/EX/0001', [2, 3]], ['HPF/EX/0002', [4]]])
})
