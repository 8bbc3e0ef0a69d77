// The web referral form: its fields to the API's referral body (so the form and the API share one check,
// validateReferral), and the API's field paths back to the form's fields for the error summary.
import { isIsoDate } from '../platform/time/dates.ts'
import type { FieldError } from '../platform/validation.ts'

export const PERPETRATOR_SLOTS = 2
export const CHILD_SLOTS = 4

const TEXT_FIELDS = [
  'referralReference', 'areaCode', 'highPriority',
  'victim-firstName', 'victim-lastName', 'victim-dob-day', 'victim-dob-month', 'victim-dob-year', 'victim-address', 'victim-postcode',
  'victim-safeContactNumber', 'victim-safeContactTime', 'victim-gender', 'victim-ethnicity', 'victim-lgbt', 'victim-disabled',
  'yesCount', 'professionalJudgement', 'policeIncidentDates', 'consent', 'victimKnows', 'safeToTalkTo', 'unsafeToTalkTo', 'previousMaracs'
]
const PERPETRATOR_FIELDS = ['firstName', 'lastName', 'dob-day', 'dob-month', 'dob-year', 'relationshipToVictim']
const CHILD_FIELDS = ['firstName', 'lastName', 'dob-day', 'dob-month', 'dob-year', 'relationshipToVictim', 'relationshipToPerpetrator1', 'relationshipToPerpetrator2', 'livesInHousehold', 'school', 'schoolUrn']

/** Every field of the form, in page order (the error summary follows it). */
export const FORM_FIELDS: string[] = [
  ...TEXT_FIELDS.slice(0, 3), ...TEXT_FIELDS.slice(3, 16),
  ...Array.from({ length: PERPETRATOR_SLOTS }, (_, i) => PERPETRATOR_FIELDS.map((f) => `perp${i + 1}-${f}`)).flat(),
  ...Array.from({ length: CHILD_SLOTS }, (_, i) => CHILD_FIELDS.map((f) => `child${i + 1}-${f}`)).flat(),
  ...TEXT_FIELDS.slice(16)
]

export function formValues(body: unknown): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>
  const values: Record<string, string> = {}
  for (const field of FORM_FIELDS) {
    const value = source[field]
    values[field] = typeof value === 'string' ? value.trim() : Array.isArray(value) && typeof value[0] === 'string' ? value[0].trim() : ''
  }
  return values
}

export interface FormProblem { field: string, message: string }

function formDate(values: Record<string, string>, prefix: string, label: string, problems: FormProblem[], required: boolean): string | undefined {
  const [d, m, y] = [values[`${prefix}-day`], values[`${prefix}-month`], values[`${prefix}-year`]]
  if (!d && !m && !y) {
    if (required) problems.push({ field: `${prefix}-day`, message: `Enter ${label}` })
    return undefined
  }
  const date = `${(y ?? '').padStart(4, '0')}-${(m ?? '').padStart(2, '0')}-${(d ?? '').padStart(2, '0')}`
  if (!/^\d+$/.test(`${d}${m}${y}`) || (y ?? '').length !== 4 || !isIsoDate(date)) {
    problems.push({ field: `${prefix}-day`, message: `${label[0]!.toUpperCase()}${label.slice(1)} must be a real date, like 27 3 1990` })
    return undefined
  }
  return date
}

/** "3/10/2026" or "2026-10-03", one per line or separated by commas. */
function incidentDates(text: string, problems: FormProblem[]): string[] {
  const dates: string[] = []
  for (const part of text.split(/[\n,;]+/).map((p) => p.trim()).filter(Boolean)) {
    const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(part)
    const date = dmy ? `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` : part
    if (!isIsoDate(date)) problems.push({ field: 'policeIncidentDates', message: `"${part}" is not a date: write each date like 3/10/2026, one per line` })
    else dates.push(date)
  }
  return dates
}

const filled = (values: Record<string, string>, prefix: string, fields: string[]) => fields.some((f) => values[`${prefix}-${f}`])

/** The form as the API's referral body, the form's own problems, and which slots were used. */
export function referralFromForm(values: Record<string, string>, referrer: { name: string, email: string }) {
  const problems: FormProblem[] = []
  const perpetratorSlots = Array.from({ length: PERPETRATOR_SLOTS }, (_, i) => i + 1).filter((n) => n === 1 || filled(values, `perp${n}`, PERPETRATOR_FIELDS))
  const childSlots = Array.from({ length: CHILD_SLOTS }, (_, i) => i + 1).filter((n) => filled(values, `child${n}`, CHILD_FIELDS.filter((f) => f !== 'livesInHousehold')))
  const yes = values.yesCount ?? ''
  if (yes && !/^\d{1,2}$/.test(yes)) problems.push({ field: 'yesCount', message: 'Enter the number of Yes answers as a whole number, like 15' })
  const choice = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined)
  const body = {
    referralReference: values.referralReference, areaCode: values.areaCode, highPriority: values.highPriority === 'yes',
    referrer,
    victim: {
      firstName: values['victim-firstName'], lastName: values['victim-lastName'], dateOfBirth: formDate(values, 'victim-dob', 'the victim’s date of birth', problems, true),
      address: values['victim-address'], postcode: values['victim-postcode'], safeContactNumber: values['victim-safeContactNumber'], safeContactTime: values['victim-safeContactTime'],
      diversity: { gender: values['victim-gender'] || undefined, ethnicity: values['victim-ethnicity'] || undefined, lgbt: values['victim-lgbt'] || undefined, disabled: values['victim-disabled'] || undefined }
    },
    perpetrators: perpetratorSlots.map((n) => ({
      firstName: values[`perp${n}-firstName`], lastName: values[`perp${n}-lastName`], relationshipToVictim: values[`perp${n}-relationshipToVictim`],
      dateOfBirth: formDate(values, `perp${n}-dob`, 'the date of birth', problems, false)
    })),
    children: childSlots.map((n) => ({
      firstName: values[`child${n}-firstName`], lastName: values[`child${n}-lastName`], relationshipToVictim: values[`child${n}-relationshipToVictim`],
      dateOfBirth: formDate(values, `child${n}-dob`, 'the child’s date of birth', problems, true),
      relationshipToPerpetrators: perpetratorSlots.map((p) => values[`child${n}-relationshipToPerpetrator${p}`] ?? ''),
      livesInHousehold: values[`child${n}-livesInHousehold`] !== 'no', school: values[`child${n}-school`], schoolUrn: values[`child${n}-schoolUrn`]
    })),
    criteria: {
      riskAssessmentYesCount: yes && /^\d{1,2}$/.test(yes) ? Number(yes) : undefined,
      professionalJudgement: values.professionalJudgement, policeIncidentDates: incidentDates(values.policeIncidentDates ?? '', problems)
    },
    consent: values.consent || undefined, victimKnows: choice(values.victimKnows),
    safeToTalkTo: values.safeToTalkTo, unsafeToTalkTo: values.unsafeToTalkTo, previousMaracs: values.previousMaracs
  }
  return { body, problems, perpetratorSlots, childSlots }
}

const MESSAGES: Record<string, string> = {
  areaCode: 'Select the MARAC area', 'victim.firstName': 'Enter the victim’s first name', 'victim.lastName': 'Enter the victim’s last name',
  'victim.address': 'Enter the victim’s address', consent: 'Select whether the victim consented', victimKnows: 'Select whether the victim knows about the referral',
  perpetrators: 'Enter the perpetrator', criteria: 'Give at least one referral criterion'
}

/** The API's field paths as the form's fields, in words a person reads. */
export function formProblemsFrom(errors: FieldError[], perpetratorSlots: number[], childSlots: number[]): FormProblem[] {
  return errors.map((error) => {
    let field = error.field
    let m = /^perpetrators\[(\d+)\]\.(.+)$/.exec(field)
    if (m) field = `perp${perpetratorSlots[Number(m[1])] ?? 1}-${m[2]}`
    m = /^children\[(\d+)\]\.(.+)$/.exec(field)
    if (m) field = `child${childSlots[Number(m[1])] ?? 1}-${m[2]!.replace(/^relationshipToPerpetrators\[(\d+)\]$/, (_, j: string) => `relationshipToPerpetrator${perpetratorSlots[Number(j)] ?? 1}`)}`
    field = field.replace(/^victim\.diversity\./, 'victim-').replace(/^victim\./, 'victim-').replace(/^criteria\.riskAssessmentYesCount$/, 'yesCount')
      .replace(/^criteria\.professionalJudgement$/, 'professionalJudgement').replace(/^criteria\.policeIncidentDates.*$/, 'policeIncidentDates')
      .replace(/^criteria$/, 'yesCount').replace(/dateOfBirth$/, 'dob-day').replace(/^referrer.*$/, 'referralReference')
    const words = MESSAGES[error.field] ?? `${describe(error.field)} ${error.message}`
    return { field, message: words }
  })
}

function describe(path: string): string {
  const child = /^children\[(\d+)\]\.(.+)$/.exec(path)
  const perp = /^perpetrators\[(\d+)\]\.(.+)$/.exec(path)
  const leaf = (name: string) => name.replace(/([A-Z])/g, ' $1').toLowerCase().replace('date of birth', 'date of birth')
  if (child) return `Child ${Number(child[1]) + 1}: the ${leaf(child[2]!)}`
  if (perp) return `Perpetrator ${Number(perp[1]) + 1}: the ${leaf(perp[2]!)}`
  const last = path.split('.').at(-1) ?? path
  return `The ${leaf(last)}`
}

/** The form's fields filled from a completed risk assessment: the victim, the children it concerns, the count of Yes answers. */
export function valuesFromAssessment(assessment: { id: string, state: { victimName: string, victimDateOfBirth: string, children: Array<{ name: string, dateOfBirth: string }> }, yesCount?: number | null }): Record<string, string> {
  const splitName = (name: string) => {
    const parts = name.trim().split(/\s+/)
    return { first: parts.length > 1 ? parts.slice(0, -1).join(' ') : parts[0] ?? '', last: parts.length > 1 ? parts.at(-1)! : '' }
  }
  const dateParts = (prefix: string, date: string) => {
    const [y, m, d] = date.split('-')
    return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y ?? '' }
  }
  const victim = splitName(assessment.state.victimName)
  const values: Record<string, string> = {
    assessmentId: assessment.id, 'victim-firstName': victim.first, 'victim-lastName': victim.last, ...dateParts('victim-dob', assessment.state.victimDateOfBirth)
  }
  if (typeof assessment.yesCount === 'number') values.yesCount = String(assessment.yesCount)
  assessment.state.children.slice(0, CHILD_SLOTS).forEach((child, i) => {
    const name = splitName(child.name)
    Object.assign(values, { [`child${i + 1}-firstName`]: name.first, [`child${i + 1}-lastName`]: name.last, ...dateParts(`child${i + 1}-dob`, child.dateOfBirth) })
  })
  return values
}
