// Incidents in, as a CSV batch from a police force (pure: no I/O). One row per child; a child's rows are
// grouped into incidents by policeReference, and an incident's own columns (when, where, what happened,
// the risk grade, the adults) must be the same on each of its rows. Each incident becomes the same JSON
// body the API takes, with the rows it came from, so that every problem can be named by row and column:
// "Row 7: childDateOfBirth must be a date, YYYY-MM-DD". Row numbers are a spreadsheet's: the header is
// row 1, and a cell with line breaks in it is still one row.
import { parseCsv } from '../platform/csv.ts'
import type { CsvRow } from '../platform/csv.ts'
import { isIsoDate } from '../platform/time/dates.ts'
import { londonInstant } from '../platform/time/london-time.ts'
import { validateIncident } from './incident.ts'
import type { FieldError } from '../platform/validation.ts'

/** The columns, in the template's order. */
export const INCIDENT_CSV_COLUMNS = [
  'policeReference', 'occurredAt', 'location', 'circumstances', 'riskGrade',
  'adultAFirstName', 'adultALastName', 'adultADateOfBirth', 'adultBFirstName', 'adultBLastName', 'adultBDateOfBirth',
  'childFirstName', 'childMiddleNames', 'childLastName', 'childDateOfBirth', 'childGender', 'childAddress', 'childPostcode',
  'childRelationshipToA', 'childRelationshipToB', 'childPresent', 'childSpokenTo', 'voiceOfChild', 'educationSettingUrn'
] as const
export type IncidentCsvColumn = typeof INCIDENT_CSV_COLUMNS[number]

/** Columns the header must have; the others may be left out of it. */
export const REQUIRED_CSV_COLUMNS: readonly IncidentCsvColumn[] = [
  'policeReference', 'occurredAt', 'location', 'circumstances', 'childFirstName', 'childLastName', 'childDateOfBirth', 'childPresent'
]

/** What each column holds, for the upload page. */
export const INCIDENT_CSV_COLUMN_HELP: Record<IncidentCsvColumn, string> = {
  policeReference: "The force's reference for the incident. Each child in the incident has a row with the same reference",
  occurredAt: 'When it happened: 2026-11-20 21:15 (UK time), 20/11/2026 21:15, or an ISO date-time such as 2026-11-20T21:15:00Z',
  location: 'Where it happened',
  circumstances: 'What happened',
  riskGrade: 'standard, medium or high; leave it empty if the risk was not assessed',
  adultAFirstName: 'Adult A (optional)',
  adultALastName: 'Adult A (optional)',
  adultADateOfBirth: 'Adult A, as 2026-11-20 or 20/11/2026 (optional)',
  adultBFirstName: 'Adult B (optional)',
  adultBLastName: 'Adult B (optional)',
  adultBDateOfBirth: 'Adult B (optional)',
  childFirstName: "The child's first name",
  childMiddleNames: 'Optional',
  childLastName: "The child's last name",
  childDateOfBirth: 'As 2016-04-09 or 09/04/2016',
  childGender: 'F, M or X (optional)',
  childAddress: 'Optional, helps find the child on school rolls',
  childPostcode: 'Optional, helps find the child on school rolls',
  childRelationshipToA: 'For example: son, stepdaughter (optional)',
  childRelationshipToB: 'Optional',
  childPresent: 'yes or no: whether the child was present',
  childSpokenTo: 'yes, no, or empty if not recorded',
  voiceOfChild: 'What the child said, in their words (optional)',
  educationSettingUrn: "The 6-digit URN of the child's school, if the officer knows it (optional)"
}

/** The most children (rows) one upload may hold. */
export const MAX_CSV_ROWS = 1000

/** An incident body in the API's shape (the input of validateIncident), built from CSV rows. */
export interface CsvIncidentBody {
  policeReference: string
  occurredAt: string | undefined
  location: string
  circumstances: string
  riskGrade: string | null | undefined
  adults: Array<{ label: 'A' | 'B', firstName: string, lastName: string, dateOfBirth?: string }>
  children: Array<Record<string, string | boolean | undefined>>
}

export interface CsvIncident {
  policeReference: string
  /** the row each child came from, in the order of body.children */
  rows: number[]
  body: CsvIncidentBody
}

export interface CsvProblem {
  /** row numbers (the header is row 1); empty for a problem with the whole file */
  rows: number[]
  column?: string
  message: string
}

const INCIDENT_LEVEL: readonly IncidentCsvColumn[] = [
  'occurredAt', 'location', 'circumstances', 'riskGrade',
  'adultAFirstName', 'adultALastName', 'adultADateOfBirth', 'adultBFirstName', 'adultBLastName', 'adultBDateOfBirth'
]

const ADULT_COLUMNS = {
  A: { firstName: 'adultAFirstName', lastName: 'adultALastName', dateOfBirth: 'adultADateOfBirth' },
  B: { firstName: 'adultBFirstName', lastName: 'adultBLastName', dateOfBirth: 'adultBDateOfBirth' }
} as const

/** Each field of a child in the API, and its column. */
const CHILD_COLUMNS: Record<string, IncidentCsvColumn> = {
  firstName: 'childFirstName', middleNames: 'childMiddleNames', lastName: 'childLastName', dateOfBirth: 'childDateOfBirth',
  gender: 'childGender', address: 'childAddress', postcode: 'childPostcode', relationshipToA: 'childRelationshipToA',
  relationshipToB: 'childRelationshipToB', present: 'childPresent', spokenTo: 'childSpokenTo', voiceOfChild: 'voiceOfChild',
  educationSettingUrn: 'educationSettingUrn'
}

const COLUMN_ORDER = new Map<string, number>(INCIDENT_CSV_COLUMNS.map((column, i) => [column, i]))

const number = (n: number) => n.toLocaleString('en-GB')

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function rowsText(rows: number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b)
  if (sorted.length === 1) return `Row ${sorted[0]}`
  const contiguous = sorted.every((row, i) => i === 0 || row === sorted[i - 1]! + 1)
  if (contiguous && sorted.length > 2) return `Rows ${sorted[0]} to ${sorted.at(-1)}`
  return `Rows ${listText(sorted.map(String))}`
}

/** A problem as one line: "Row 7: childDateOfBirth must be a date, YYYY-MM-DD". */
export function problemText(problem: CsvProblem): string {
  const where = problem.rows.length > 0 ? `${rowsText(problem.rows)}: ` : ''
  const text = `${problem.column ? `${problem.column} ` : ''}${problem.message}`
  return where ? `${where}${text}` : text.charAt(0).toUpperCase() + text.slice(1)
}

/** whole-file problems first, then by row */
const firstRow = (problem: CsvProblem) => (problem.rows.length > 0 ? Math.min(...problem.rows) : 0)

function sortProblems(problems: CsvProblem[]): CsvProblem[] {
  return problems
    .map((problem, i) => ({ problem, i }))
    .sort((a, b) => (firstRow(a.problem) - firstRow(b.problem)) ||
      ((COLUMN_ORDER.get(a.problem.column ?? '') ?? 99) - (COLUMN_ORDER.get(b.problem.column ?? '') ?? 99)) || a.i - b.i)
    .map(({ problem }) => problem)
}

/**
 * The bytes of an uploaded file as text: UTF-8 (with or without a byte order mark), or, when it is not
 * valid UTF-8, Windows-1252, which is what a spreadsheet saves as "CSV" on many Windows computers.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

/** 2016-04-09 as it is; 09/04/2016 (a UK spreadsheet's way) as 2016-04-09; anything else unchanged. */
function csvDate(value: string): string {
  const uk = UK_DATE.exec(value)
  if (!uk) return value
  return `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * When it happened, as an ISO date-time: one with a zone (Z or +01:00) as it is, and a date and time
 * without one as UK time (what a spreadsheet shows). Undefined if it is neither.
 */
function csvDateTime(value: string): string | undefined {
  if (ZONED_DATE_TIME.test(value)) return value
  const local = LOCAL_DATE_TIME.exec(value)
  if (!local) return undefined
  const date = csvDate(local[1]!)
  const [hours, minutes, seconds] = [Number(local[2]), Number(local[3]), Number(local[4] ?? 0)]
  if (!isIsoDate(date) || hours > 23 || minutes > 59 || seconds > 59) return undefined
  return new Date(londonInstant(date, hours * 60 + minutes) + seconds * 1000).toISOString()
}

function yesNo(value: string): boolean | undefined {
  const v = value.toLowerCase()
  if (v === 'yes' || v === 'y') return true
  if (v === 'no' || v === 'n') return false
  return undefined
}

interface Row { number: number, get(column: IncidentCsvColumn): string }

/**
 * Reads the CSV into incidents, without checking the incidents' fields (validateIncident does that):
 * the header, each row's shape, the yes/no and date-time columns, and that an incident's rows agree.
 */
export function parseIncidentCsv(text: string): { incidents: CsvIncident[], problems: CsvProblem[] } {
  const problems: CsvProblem[] = []
  let records: CsvRow[]
  try {
    records = parseCsv(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { incidents: [], problems: [{ rows: [], message: `the file is not a CSV Harbour can read: ${message.replace(/^Line (\d+): /, 'from line $1, ')}` }] }
  }
  const header = records[0]
  if (!header) return { incidents: [], problems: [{ rows: [], message: 'the file is empty: it needs a header row and a row for each child' }] }

  // the header: known columns (in any order, any case), none twice, the required ones there
  const index = new Map<IncidentCsvColumn, number>()
  const byLowerName = new Map<string, IncidentCsvColumn>(INCIDENT_CSV_COLUMNS.map((column) => [column.toLowerCase(), column]))
  const unknown: string[] = []
  const repeated: string[] = []
  header.values.forEach((raw, i) => {
    const name = raw.trim()
    if (name === '') return
    const column = byLowerName.get(name.toLowerCase())
    if (!column) unknown.push(`"${name}"`)
    else if (index.has(column)) repeated.push(column)
    else index.set(column, i)
  })
  const missing = REQUIRED_CSV_COLUMNS.filter((column) => !index.has(column))
  if (unknown.length > 0) problems.push({ rows: [1], message: `the header has ${unknown.length === 1 ? 'a column' : 'columns'} Harbour does not know: ${listText(unknown)}. Use the template's column names` })
  if (repeated.length > 0) problems.push({ rows: [1], message: `the header has ${listText(repeated)} more than once` })
  if (missing.length > 0) problems.push({ rows: [1], message: `the header is missing the ${missing.length === 1 ? 'column' : 'columns'} ${listText(missing)}` })
  if (problems.length > 0) return { incidents: [], problems }

  // row numbers as a spreadsheet shows them: a cell's own line breaks do not start new rows
  let extraLines = 0
  const rows: Row[] = []
  const width = header.values.length
  for (const record of records) {
    const rowNumber = record.line - extraLines
    extraLines += record.values.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0)
    if (record === header) continue
    if (record.values.every((value) => value.trim() === '')) continue
    if (record.values.length < width || record.values.slice(width).some((value) => value.trim() !== '')) {
      problems.push({ rows: [rowNumber], message: `has ${number(record.values.length)} ${record.values.length === 1 ? 'value' : 'values'}, but the header has ${number(width)} columns` })
      continue
    }
    rows.push({ number: rowNumber, get: (column) => { const at = index.get(column); return at === undefined ? '' : (record.values[at] ?? '').trim() } })
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ rows: [], message: 'the file has a header but no rows: add a row for each child' })
  if (rows.length > MAX_CSV_ROWS) {
    return { incidents: [], problems: [{ rows: [], message: `the file has ${number(rows.length)} rows; one upload takes up to ${number(MAX_CSV_ROWS)} children. Split it into smaller files` }] }
  }

  // group the rows into incidents by reference; an incident's own columns must agree across its rows
  const groups = new Map<string, Row[]>()
  for (const row of rows) {
    const reference = row.get('policeReference')
    if (reference === '') {
      problems.push({ rows: [row.number], column: 'policeReference', message: 'is required: each row is a child in the incident with that reference' })
      continue
    }
    const group = groups.get(reference)
    if (group) group.push(row)
    else groups.set(reference, [row])
  }

  const incidents: CsvIncident[] = []
  for (const [policeReference, group] of groups) {
    const first = group[0]!
    const normalised = (row: Row, column: IncidentCsvColumn): string => {
      const value = row.get(column)
      if (column === 'occurredAt') return csvDateTime(value) ?? value
      if (column === 'riskGrade') return value.toLowerCase()
      if (column.endsWith('DateOfBirth')) return csvDate(value)
      return value
    }
    for (const row of group.slice(1)) {
      for (const column of INCIDENT_LEVEL) {
        if (normalised(row, column) !== normalised(first, column)) {
          problems.push({ rows: [row.number], column, message: `is not the same as on row ${first.number}: each row of incident ${policeReference} must have the same ${column}` })
        }
      }
    }

    const occurredText = first.get('occurredAt')
    const occurredAt = occurredText === '' ? undefined : csvDateTime(occurredText)
    if (occurredText !== '' && occurredAt === undefined) {
      problems.push({ rows: group.map((row) => row.number), column: 'occurredAt', message: 'must be a date and time, like 2026-11-20 21:15 (UK time) or 2026-11-20T21:15:00Z' })
    }

    const gradeText = first.get('riskGrade').toLowerCase()
    let riskGrade: string | null | undefined = null
    if (['standard', 'medium', 'high'].includes(gradeText)) riskGrade = gradeText
    else if (gradeText !== '' && gradeText !== 'not assessed') {
      riskGrade = undefined
      problems.push({ rows: group.map((row) => row.number), column: 'riskGrade', message: 'must be standard, medium or high, or empty if the risk was not assessed' })
    }

    const adults: CsvIncidentBody['adults'] = []
    for (const label of ['A', 'B'] as const) {
      const columns = ADULT_COLUMNS[label]
      const [firstName, lastName, dateOfBirth] = [first.get(columns.firstName), first.get(columns.lastName), csvDate(first.get(columns.dateOfBirth))]
      if (firstName || lastName || dateOfBirth) adults.push({ label, firstName, lastName, ...(dateOfBirth ? { dateOfBirth } : {}) })
    }

    const children = group.map((row) => {
      const present = yesNo(row.get('childPresent'))
      if (present === undefined) {
        problems.push({ rows: [row.number], column: 'childPresent', message: row.get('childPresent') === '' ? 'is required: yes or no' : 'must be yes or no' })
      }
      const spokenText = row.get('childSpokenTo')
      const spokenTo = spokenText === '' ? undefined : yesNo(spokenText)
      if (spokenText !== '' && spokenTo === undefined) problems.push({ rows: [row.number], column: 'childSpokenTo', message: 'must be yes, no, or empty if not recorded' })
      const child: Record<string, string | boolean | undefined> = {
        firstName: row.get('childFirstName'), lastName: row.get('childLastName'), dateOfBirth: csvDate(row.get('childDateOfBirth')), present
      }
      const optional = (key: string, value: string) => { if (value !== '') child[key] = value }
      optional('middleNames', row.get('childMiddleNames'))
      optional('gender', row.get('childGender').toUpperCase())
      optional('address', row.get('childAddress'))
      optional('postcode', row.get('childPostcode'))
      optional('relationshipToA', row.get('childRelationshipToA'))
      optional('relationshipToB', row.get('childRelationshipToB'))
      if (spokenTo !== undefined) child.spokenTo = spokenTo
      optional('voiceOfChild', row.get('voiceOfChild'))
      optional('educationSettingUrn', row.get('educationSettingUrn'))
      return child
    })

    incidents.push({
      policeReference,
      rows: group.map((row) => row.number),
      body: { policeReference, occurredAt, location: first.get('location'), circumstances: first.get('circumstances'), riskGrade, adults, children }
    })
  }
  return { incidents, problems: sortProblems(problems) }
}

/** Where a field of the API's body is in the CSV: the rows and the column. */
function locate(incident: CsvIncident, field: string): { rows: number[], column: string } {
  const child = /^children\[(\d+)\](?:\.(\w+))?$/.exec(field)
  if (child) {
    const row = incident.rows[Number(child[1])]
    const column = child[2] ? CHILD_COLUMNS[child[2]] : undefined
    return { rows: row === undefined ? incident.rows : [row], column: column ?? 'childFirstName' }
  }
  const adult = /^adults\[(\d+)\](?:\.(\w+))?$/.exec(field)
  if (adult) {
    const label = incident.body.adults[Number(adult[1])]?.label ?? 'A'
    const key = (adult[2] ?? 'firstName') as keyof typeof ADULT_COLUMNS.A
    return { rows: incident.rows, column: ADULT_COLUMNS[label][key] ?? ADULT_COLUMNS[label].firstName }
  }
  if (field === 'children' || field === 'adults' || field === '(body)') return { rows: incident.rows, column: 'policeReference' }
  return { rows: incident.rows, column: field }
}

/** validateIncident's (or the intake's) field errors for one incident, as CSV problems by row and column. */
export function problemsFromFieldErrors(incident: CsvIncident, errors: FieldError[]): CsvProblem[] {
  return errors.map((error) => {
    const { rows, column } = locate(incident, error.field)
    let message = error.message
    if (error.field === 'children' && /at most/.test(message)) message = `${incident.policeReference} has ${incident.rows.length} rows (children), and an incident has at most 20`
    else if (error.field === 'children' || error.field === 'adults') message = `${incident.policeReference}: ${message}`
    return { rows, column, message }
  })
}

/**
 * The whole check of a CSV batch, as the upload does it before anything is stored: the file, its rows,
 * and each incident's fields as the API checks them. Every problem is listed, by row and column.
 */
export function checkIncidentCsv(text: string, now = new Date()): { ok: true, incidents: CsvIncident[] } | { ok: false, problems: CsvProblem[] } {
  const parsed = parseIncidentCsv(text)
  const problems = [...parsed.problems]
  // a value the CSV reading already refused (say childPresent "maybe") is not reported again as missing
  const reported = new Set(problems.flatMap((problem) => problem.rows.map((row) => `${row}:${problem.column ?? ''}`)))
  for (const incident of parsed.incidents) {
    const checked = validateIncident(incident.body, now)
    if (checked.ok) continue
    for (const problem of problemsFromFieldErrors(incident, checked.errors)) {
      if (problem.rows.some((row) => reported.has(`${row}:${problem.column ?? ''}`))) continue
      problems.push(problem)
    }
  }
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) }
  return { ok: true, incidents: parsed.incidents }
}

/**
 * The template the upload page offers: the header and a synthetic incident with two children (invented
 * names and places). The same file is test/fixtures/incidents/example-incidents.csv.
 */
export const EXAMPLE_INCIDENT_CSV = [
  INCIDENT_CSV_COLUMNS.join(','),
  'HPF/EX/0001,2026-11-20 21:15,"Home address, Kestrel Way (synthetic)","Neighbour called police after hearing shouting; adult B was arrested (synthetic example)",medium,Jo,Example,1990-03-14,Lee,Example,1988-07-02,Ada,Rose,Example,2016-04-09,F,9 Kestrel Way,HB1 4XZ,Daughter,Stepdaughter,yes,yes,"""I hid upstairs with my brother""",990001',
  'HPF/EX/0001,2026-11-20 21:15,"Home address, Kestrel Way (synthetic)","Neighbour called police after hearing shouting; adult B was arrested (synthetic example)",medium,Jo,Example,1990-03-14,Lee,Example,1988-07-02,Noah,,Example,2019-10-30,M,9 Kestrel Way,HB1 4XZ,Son,Son,yes,no,,',
  'HPF/EX/0002,2026-11-21 07:40,Car park (synthetic),Adult B damaged adult A\'s car; no one was injured (synthetic example),,Sam,Sample,,Alex,Sample,,Mia,,Sample,2012-01-17,F,,,Daughter,,no,,,'
].map((line) => `${line}\r\n`).join('')
