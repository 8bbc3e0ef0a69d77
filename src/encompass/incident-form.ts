// The police staff's incident form (pure: no I/O). Its fields become the same JSON body the API takes,
// and validateIncident's field paths ("children[1].dateOfBirth") come back as the form's own fields
// with GOV.UK-style messages ("Enter child 2's date of birth"). Blank child sections are ignored.
import { isIsoDate } from '../platform/time/dates.ts'
import { londonInstant } from '../platform/time/london-time.ts'
import type { FieldError } from '../platform/validation.ts'

/** How many child sections the form has. */
export const CHILD_SLOTS = 4

export type FormValues = Record<string, string>

const INCIDENT_FIELDS = ['policeReference', 'occurredAt-day', 'occurredAt-month', 'occurredAt-year', 'occurredTime', 'location', 'circumstances', 'riskGrade']
const ADULT_FIELDS = ['firstName', 'lastName', 'dob-day', 'dob-month', 'dob-year']
const CHILD_FIELDS = ['firstName', 'middleNames', 'lastName', 'dob-day', 'dob-month', 'dob-year', 'gender', 'address', 'postcode',
  'relationshipToA', 'relationshipToB', 'present', 'spokenTo', 'voiceOfChild', 'educationSettingUrn']

/** Every field name the form has. */
export const FORM_FIELDS: string[] = [
  ...INCIDENT_FIELDS,
  ...['A', 'B'].flatMap((label) => ADULT_FIELDS.map((field) => `adult${label}-${field}`)),
  ...Array.from({ length: CHILD_SLOTS }, (_, i) => CHILD_FIELDS.map((field) => `child${i + 1}-${field}`)).flat()
]

/** The form's fields from a posted body, trimmed (a long text keeps its inner line breaks). */
export function formValues(body: unknown): FormValues {
  const source = (body ?? {}) as Record<string, unknown>
  const values: FormValues = {}
  for (const name of FORM_FIELDS) {
    const raw = source[name]
    const value = Array.isArray(raw) ? raw[0] : raw
    values[name] = typeof value === 'string' ? value.trim() : ''
  }
  return values
}

export interface FormProblem { field: string, message: string }

const RISK_GRADES: Record<string, string | null> = { standard: 'standard', medium: 'medium', high: 'high', 'not-assessed': null }

/** A GOV.UK date input's three boxes as YYYY-MM-DD; undefined if all are empty; an error message if wrong. */
function dateFrom(values: FormValues, prefix: string, what: string): { date?: string, error?: string } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => values[`${prefix}-${part}`] ?? '') as [string, string, string]
  if (!day && !month && !year) return {}
  const missing = [['a day', day], ['a month', month], ['a year', year]].filter(([, v]) => !v).map(([name]) => name)
  if (missing.length > 0) return { error: `${what} must include ${missing.join(' and ')}` }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: `${what} must be a real date, with a 4-digit year` }
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  if (!isIsoDate(date)) return { error: `${what} must be a real date` }
  return { date }
}

/** "21:15", "9:05", "2115" or "21.15", as minutes after midnight. */
function minutesFrom(time: string): number | undefined {
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(time)
  if (!match) return undefined
  const [hours, minutes] = [Number(match[1]), Number(match[2])]
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : undefined
}

/** "Not recorded" on an optional question is the same as leaving it: a section with only that is blank. */
const filled = (value: string | undefined) => value !== undefined && value !== '' && value !== 'not-recorded'
const childHasAnything = (values: FormValues, slot: number) => CHILD_FIELDS.some((field) => filled(values[`child${slot}-${field}`]))
const adultHasAnything = (values: FormValues, label: string) => ADULT_FIELDS.some((field) => filled(values[`adult${label}-${field}`]))

/**
 * The API body from the form, the form's own problems (a date that is not a real date, no risk grade
 * chosen, no child at all), and how to find validateIncident's paths on the form.
 */
export function incidentFromForm(values: FormValues): { body: Record<string, unknown>, problems: FormProblem[], slots: number[], adultLabels: Array<'A' | 'B'> } {
  const problems: FormProblem[] = []
  const occurred = dateFrom(values, 'occurredAt', 'The date of the incident')
  const time = values.occurredTime ?? ''
  const minutes = minutesFrom(time)
  let occurredAt: string | undefined
  if (occurred.error) problems.push({ field: 'occurredAt-day', message: occurred.error })
  else if (!occurred.date) problems.push({ field: 'occurredAt-day', message: 'Enter the date of the incident' })
  if (time === '') problems.push({ field: 'occurredTime', message: 'Enter the time of the incident, like 21:15' })
  else if (minutes === undefined) problems.push({ field: 'occurredTime', message: 'Enter the time of the incident using the 24-hour clock, like 21:15' })
  if (occurred.date && minutes !== undefined) occurredAt = new Date(londonInstant(occurred.date, minutes)).toISOString()

  const grade = values.riskGrade ?? ''
  if (!Object.hasOwn(RISK_GRADES, grade)) problems.push({ field: 'riskGrade', message: 'Select the risk grade, or select not assessed' })

  const adultLabels: Array<'A' | 'B'> = []
  const adults = (['A', 'B'] as const).filter((label) => adultHasAnything(values, label)).map((label) => {
    adultLabels.push(label)
    const dob = dateFrom(values, `adult${label}-dob`, `Adult ${label}'s date of birth`)
    if (dob.error) problems.push({ field: `adult${label}-dob-day`, message: dob.error })
    return { label, firstName: values[`adult${label}-firstName`], lastName: values[`adult${label}-lastName`], ...(dob.date ? { dateOfBirth: dob.date } : {}) }
  })

  const slots: number[] = []
  const children: Array<Record<string, unknown>> = []
  for (let slot = 1; slot <= CHILD_SLOTS; slot++) {
    if (!childHasAnything(values, slot)) continue
    slots.push(slot)
    const get = (field: string) => values[`child${slot}-${field}`] ?? ''
    const dob = dateFrom(values, `child${slot}-dob`, `Child ${slot}'s date of birth`)
    if (dob.error) problems.push({ field: `child${slot}-dob-day`, message: dob.error })
    const present = get('present')
    if (present !== 'yes' && present !== 'no') problems.push({ field: `child${slot}-present`, message: `Select whether child ${slot} was present` })
    const child: Record<string, unknown> = { firstName: get('firstName'), lastName: get('lastName'), dateOfBirth: dob.date ?? (dob.error ? 'not a date' : ''), present: present === 'yes' ? true : present === 'no' ? false : undefined }
    for (const field of ['middleNames', 'address', 'postcode', 'relationshipToA', 'relationshipToB', 'voiceOfChild', 'educationSettingUrn']) if (get(field)) child[field] = get(field)
    if (['F', 'M', 'X'].includes(get('gender'))) child.gender = get('gender')
    if (get('spokenTo') === 'yes' || get('spokenTo') === 'no') child.spokenTo = get('spokenTo') === 'yes'
    children.push(child)
  }
  if (slots.length === 0) problems.push({ field: 'child1-firstName', message: 'Enter the details of at least one child' })

  return {
    body: {
      policeReference: values.policeReference ?? '', occurredAt, location: values.location ?? '', circumstances: values.circumstances ?? '',
      riskGrade: Object.hasOwn(RISK_GRADES, grade) ? RISK_GRADES[grade] : undefined, adults, children
    },
    problems, slots, adultLabels
  }
}

const CHILD_WORDS: Record<string, [string, string]> = {
  // API field: [form field, words]
  firstName: ['firstName', 'first name'], middleNames: ['middleNames', 'middle names'], lastName: ['lastName', 'last name'],
  dateOfBirth: ['dob-day', 'date of birth'], gender: ['gender', 'gender'], address: ['address', 'address'], postcode: ['postcode', 'postcode'],
  relationshipToA: ['relationshipToA', 'relationship to adult A'], relationshipToB: ['relationshipToB', 'relationship to adult B'],
  present: ['present', 'presence'], spokenTo: ['spokenTo', 'being spoken to'], voiceOfChild: ['voiceOfChild', 'words'], educationSettingUrn: ['educationSettingUrn', 'school URN']
}

const INCIDENT_WORDS: Record<string, [string, string]> = {
  policeReference: ['policeReference', 'the police reference'], occurredAt: ['occurredAt-day', 'the date and time of the incident'],
  location: ['location', 'where the incident happened'], circumstances: ['circumstances', 'what happened'], riskGrade: ['riskGrade', 'the risk grade']
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** validateIncident's errors as problems on the form's fields, in GOV.UK words. */
export function formProblemsFrom(errors: FieldError[], slots: number[], adultLabels: Array<'A' | 'B'>): FormProblem[] {
  return errors.map((error) => {
    let field = 'policeReference'
    let what = error.field
    const child = /^children\[(\d+)\]\.(\w+)$/.exec(error.field)
    const adult = /^adults\[(\d+)\]\.(\w+)$/.exec(error.field)
    if (child) {
      const slot = slots[Number(child[1])] ?? 1
      const [name, words] = CHILD_WORDS[child[2]!] ?? ['firstName', child[2]!]
      field = `child${slot}-${name}`
      what = `child ${slot}'s ${words}`
    } else if (adult) {
      const label = adultLabels[Number(adult[1])] ?? 'A'
      const key = adult[2] === 'dateOfBirth' ? 'dob-day' : adult[2] === 'lastName' ? 'lastName' : 'firstName'
      field = `adult${label}-${key}`
      what = `adult ${label}'s ${key === 'dob-day' ? 'date of birth' : key === 'lastName' ? 'last name' : 'first name'}`
    } else if (error.field === 'children') {
      return { field: 'child1-firstName', message: capitalise(`children ${error.message}`) }
    } else if (error.field === 'adults') {
      return { field: 'adultA-firstName', message: capitalise(`adults ${error.message}`) }
    } else if (INCIDENT_WORDS[error.field]) {
      [field, what] = INCIDENT_WORDS[error.field]!
    }
    let message: string
    if (error.message === 'is required') message = `Enter ${what}`
    else if (error.message === 'must not be in the future') message = `${capitalise(what)} must be in the past`
    else if (error.message === 'must not be after the incident') message = `${capitalise(what)} must be on or before the day of the incident`
    else if (error.message === 'must be a 6-digit URN') message = `${capitalise(what)} must be 6 digits, like 990001`
    else if (error.message === 'must be a date, YYYY-MM-DD') message = `${capitalise(what)} must be a real date`
    else message = `${capitalise(what)} ${error.message}`
    return { field, message }
  })
}
