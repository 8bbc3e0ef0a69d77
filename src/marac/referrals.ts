// A referral to MARAC as an agency sends it (through the API or the web form), checked field by field
// (pure). Every bad field is named by its path, like "children[1].dateOfBirth", so a form or an API
// client can show each problem beside its field. Which criteria are met, and whether it is a repeat, are
// decided afterwards by the case service (a repeat needs the earlier referrals).
import { createHash } from 'node:crypto'
import { canonicalJson } from '../platform/audit/audit.ts'
import { isIsoDate } from '../platform/time/dates.ts'
import { isJsonObject, readBoolean, readText } from '../platform/validation.ts'
import type { FieldError, FieldReader, JsonObject } from '../platform/validation.ts'
import { MIN_JUDGEMENT_REASONS_LENGTH } from './grading.ts'


export const GENDERS = { female: 'Female', male: 'Male', 'non-binary': 'Non-binary', another: 'Another gender', 'not-known': 'Not known' } as const
/** Ethnic groups (the census's top level). BAME, for the return: mixed, Asian, Black and other groups. */
export const ETHNICITIES = {
  'white-british': 'White British', 'white-other': 'White (other)', mixed: 'Mixed or multiple ethnic groups', asian: 'Asian or Asian British',
  black: 'Black, Black British, Caribbean or African', other: 'Another ethnic group', 'not-known': 'Not known'
} as const
export const BAME_ETHNICITIES: ReadonlyArray<keyof typeof ETHNICITIES> = ['mixed', 'asian', 'black', 'other']
export const YES_NO_NOT_KNOWN = { yes: 'Yes', no: 'No', 'not-known': 'Not known' } as const
export const CONSENT = { given: 'The victim consented to the referral', 'not-given': 'The victim did not consent (referred without consent because of the risk)', 'not-sought': 'Consent was not sought (it was not safe to ask)' } as const

export type Gender = keyof typeof GENDERS
export type Ethnicity = keyof typeof ETHNICITIES
export type YesNoNotKnown = keyof typeof YES_NO_NOT_KNOWN
export type Consent = keyof typeof CONSENT

/** The number of Yes answers on a DASH-style checklist that is "visible high risk". */
export const VISIBLE_HIGH_RISK_YES = 14
export const MAX_PERPETRATORS = 5
export const MAX_CHILDREN = 15

export interface Victim {
  firstName: string
  lastName: string
  dateOfBirth: string
  address: string
  postcode?: string
  safeContactNumber?: string
  /** when it is safe to call, in the victim's words ("weekdays 10am to 2pm") */
  safeContactTime?: string
  diversity: { gender: Gender, ethnicity: Ethnicity, lgbt: YesNoNotKnown, disabled: YesNoNotKnown }
}

export interface Perpetrator {
  firstName: string
  lastName: string
  dateOfBirth?: string
  /** the perpetrator's relationship to the victim ("ex-partner", "son") */
  relationshipToVictim: string
  address?: string
}

export interface Child {
  firstName: string
  lastName: string
  dateOfBirth: string
  relationshipToVictim: string
  /** one per perpetrator, in the same order ("" where not known) */
  relationshipToPerpetrators: string[]
  livesInHousehold: boolean
  address?: string
  postcode?: string
  school?: string
  schoolUrn?: string
}

export interface Criteria {
  /** Yes answers on the risk checklist, if one was completed */
  riskAssessmentYesCount?: number
  /** the referrer's reasons, when they refer on professional judgement */
  professionalJudgement?: string
  /** dates of police-reported incidents, for potential escalation */
  policeIncidentDates: string[]
}

export interface Referral {
  referralReference: string
  areaCode: string
  highPriority: boolean
  referrer: { name: string, role?: string, phone?: string, email?: string }
  victim: Victim
  perpetrators: Perpetrator[]
  children: Child[]
  criteria: Criteria
  consent: Consent
  victimKnows: boolean
  safeToTalkTo?: string
  unsafeToTalkTo?: string
  previousMaracs?: string
}

function date(r: FieldReader, source: JsonObject, key: string, path: string, today: string, required: boolean): string | undefined {
  const value = readText(r, source, key, path, { required, max: 10 })
  if (value === undefined) return undefined
  if (!isIsoDate(value)) {
    r.errors.push({ field: path, message: 'must be a real date written YYYY-MM-DD' })
    return undefined
  }
  if (value > today) {
    r.errors.push({ field: path, message: 'must not be in the future' })
    return undefined
  }
  return value
}

function choice<T extends string>(r: FieldReader, source: JsonObject, key: string, path: string, options: Record<T, string>, fallback?: T): T | undefined {
  const value = source[key]
  if (value === undefined || value === null || value === '') {
    if (fallback === undefined) r.errors.push({ field: path, message: `is required: one of ${Object.keys(options).join(', ')}` })
    return fallback
  }
  if (typeof value !== 'string' || !Object.hasOwn(options, value)) {
    r.errors.push({ field: path, message: `must be one of ${Object.keys(options).join(', ')}` })
    return fallback
  }
  return value as T
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>

const URN = /^\d{6}$/
const PHONE = /^[0-9+() -]{6,20}$/

/**
 * Checks a referral from the API or the web form. `today` is the UK date the referral is made (no date of
 * birth or incident may be after it). Every bad field is named.
 */
export function validateReferral(input: unknown, today: string): { ok: true, referral: Referral } | { ok: false, errors: FieldError[] } {
  if (!isJsonObject(input)) return { ok: false, errors: [{ field: '(body)', message: 'must be a JSON object' }] }
  const r: FieldReader = { errors: [] }
  const referralReference = readText(r, input, 'referralReference', 'referralReference', { required: true, max: 64 })
  const areaCode = readText(r, input, 'areaCode', 'areaCode', { required: true, max: 20 })
  const highPriority = readBoolean(r, input, 'highPriority', 'highPriority', { fallback: false }) ?? false

  let referrer: Referral['referrer'] = { name: '' }
  if (!isJsonObject(input.referrer)) r.errors.push({ field: 'referrer', message: 'is required: the name, and a phone number or email address, of the person referring' })
  else {
    const name = readText(r, input.referrer, 'name', 'referrer.name', { required: true, max: 200 })
    const role = readText(r, input.referrer, 'role', 'referrer.role', { max: 200 })
    const phone = readText(r, input.referrer, 'phone', 'referrer.phone', { max: 30 })
    const email = readText(r, input.referrer, 'email', 'referrer.email', { max: 254 })
    if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) r.errors.push({ field: 'referrer.email', message: 'must be an email address' })
    referrer = { name: name ?? '', ...optional('role', role), ...optional('phone', phone), ...optional('email', email) }
  }

  let victim: Victim | undefined
  if (!isJsonObject(input.victim)) r.errors.push({ field: 'victim', message: 'is required: the person who experiences the abuse' })
  else {
    const v = input.victim
    const firstName = readText(r, v, 'firstName', 'victim.firstName', { required: true, max: 100 })
    const lastName = readText(r, v, 'lastName', 'victim.lastName', { required: true, max: 100 })
    const dateOfBirth = date(r, v, 'dateOfBirth', 'victim.dateOfBirth', today, true)
    const address = readText(r, v, 'address', 'victim.address', { required: true, max: 300 })
    const postcode = readText(r, v, 'postcode', 'victim.postcode', { max: 10 })
    const safeContactNumber = readText(r, v, 'safeContactNumber', 'victim.safeContactNumber', { max: 30 })
    if (safeContactNumber !== undefined && !PHONE.test(safeContactNumber)) r.errors.push({ field: 'victim.safeContactNumber', message: 'must be a phone number (digits, spaces and +)' })
    const safeContactTime = readText(r, v, 'safeContactTime', 'victim.safeContactTime', { max: 200 })
    const d = isJsonObject(v.diversity) ? v.diversity : {}
    if (v.diversity !== undefined && !isJsonObject(v.diversity)) r.errors.push({ field: 'victim.diversity', message: 'must be an object' })
    const diversity = {
      gender: choice(r, d, 'gender', 'victim.diversity.gender', GENDERS, 'not-known') ?? 'not-known',
      ethnicity: choice(r, d, 'ethnicity', 'victim.diversity.ethnicity', ETHNICITIES, 'not-known') ?? 'not-known',
      lgbt: choice(r, d, 'lgbt', 'victim.diversity.lgbt', YES_NO_NOT_KNOWN, 'not-known') ?? 'not-known',
      disabled: choice(r, d, 'disabled', 'victim.diversity.disabled', YES_NO_NOT_KNOWN, 'not-known') ?? 'not-known'
    }
    victim = {
      firstName: firstName ?? '', lastName: lastName ?? '', dateOfBirth: dateOfBirth ?? '', address: address ?? '', diversity,
      ...optional('postcode', postcode), ...optional('safeContactNumber', safeContactNumber), ...optional('safeContactTime', safeContactTime)
    }
  }

  const perpetrators: Perpetrator[] = []
  if (!Array.isArray(input.perpetrators) || input.perpetrators.length === 0) r.errors.push({ field: 'perpetrators', message: 'must list at least one perpetrator' })
  else if (input.perpetrators.length > MAX_PERPETRATORS) r.errors.push({ field: 'perpetrators', message: `must list at most ${MAX_PERPETRATORS} perpetrators` })
  else input.perpetrators.forEach((p: unknown, i) => {
    const path = `perpetrators[${i}]`
    if (!isJsonObject(p)) return r.errors.push({ field: path, message: 'must be an object' })
    const firstName = readText(r, p, 'firstName', `${path}.firstName`, { required: true, max: 100 })
    const lastName = readText(r, p, 'lastName', `${path}.lastName`, { required: true, max: 100 })
    const dateOfBirth = date(r, p, 'dateOfBirth', `${path}.dateOfBirth`, today, false)
    const relationshipToVictim = readText(r, p, 'relationshipToVictim', `${path}.relationshipToVictim`, { required: true, max: 100 })
    const address = readText(r, p, 'address', `${path}.address`, { max: 300 })
    perpetrators.push({ firstName: firstName ?? '', lastName: lastName ?? '', relationshipToVictim: relationshipToVictim ?? '', ...optional('dateOfBirth', dateOfBirth), ...optional('address', address) })
    return undefined
  })

  const children: Child[] = []
  if (input.children !== undefined && !Array.isArray(input.children)) r.errors.push({ field: 'children', message: 'must be a list (empty if there are no children)' })
  else if (Array.isArray(input.children) && input.children.length > MAX_CHILDREN) r.errors.push({ field: 'children', message: `must list at most ${MAX_CHILDREN} children` })
  else (input.children as unknown[] | undefined ?? []).forEach((c, i) => {
    const path = `children[${i}]`
    if (!isJsonObject(c)) return r.errors.push({ field: path, message: 'must be an object' })
    const firstName = readText(r, c, 'firstName', `${path}.firstName`, { required: true, max: 100 })
    const lastName = readText(r, c, 'lastName', `${path}.lastName`, { required: true, max: 100 })
    const dateOfBirth = date(r, c, 'dateOfBirth', `${path}.dateOfBirth`, today, true)
    const relationshipToVictim = readText(r, c, 'relationshipToVictim', `${path}.relationshipToVictim`, { required: true, max: 100 })
    const relationshipToPerpetrators: string[] = []
    if (c.relationshipToPerpetrators !== undefined && !Array.isArray(c.relationshipToPerpetrators)) r.errors.push({ field: `${path}.relationshipToPerpetrators`, message: 'must be a list, one relationship per perpetrator' })
    else {
      const given = (c.relationshipToPerpetrators as unknown[] | undefined) ?? []
      if (given.length > perpetrators.length && perpetrators.length > 0) r.errors.push({ field: `${path}.relationshipToPerpetrators`, message: `must have one entry per perpetrator (${perpetrators.length})` })
      given.forEach((relationship, j) => {
        if (relationship !== null && relationship !== undefined && typeof relationship !== 'string') r.errors.push({ field: `${path}.relationshipToPerpetrators[${j}]`, message: 'must be text' })
        else if (typeof relationship === 'string' && relationship.trim().length > 100) r.errors.push({ field: `${path}.relationshipToPerpetrators[${j}]`, message: 'must be 100 characters or fewer' })
      })
      for (let j = 0; j < perpetrators.length; j++) {
        const relationship = given[j]
        relationshipToPerpetrators.push(typeof relationship === 'string' ? relationship.trim() : '')
      }
    }
    const livesInHousehold = readBoolean(r, c, 'livesInHousehold', `${path}.livesInHousehold`, { fallback: true }) ?? true
    const address = readText(r, c, 'address', `${path}.address`, { max: 300 })
    const postcode = readText(r, c, 'postcode', `${path}.postcode`, { max: 10 })
    const school = readText(r, c, 'school', `${path}.school`, { max: 200 })
    const schoolUrn = readText(r, c, 'schoolUrn', `${path}.schoolUrn`, { max: 6 })
    if (schoolUrn !== undefined && !URN.test(schoolUrn)) r.errors.push({ field: `${path}.schoolUrn`, message: 'must be a 6-digit URN' })
    children.push({
      firstName: firstName ?? '', lastName: lastName ?? '', dateOfBirth: dateOfBirth ?? '', relationshipToVictim: relationshipToVictim ?? '',
      relationshipToPerpetrators, livesInHousehold, ...optional('address', address), ...optional('postcode', postcode), ...optional('school', school), ...optional('schoolUrn', schoolUrn)
    })
    return undefined
  })

  let criteria: Criteria = { policeIncidentDates: [] }
  if (input.criteria !== undefined && !isJsonObject(input.criteria)) r.errors.push({ field: 'criteria', message: 'must be an object' })
  else {
    const c = (input.criteria ?? {}) as JsonObject
    const yes = c.riskAssessmentYesCount
    let riskAssessmentYesCount: number | undefined
    if (yes !== undefined && yes !== null) {
      if (typeof yes !== 'number' || !Number.isInteger(yes) || yes < 0 || yes > 27) r.errors.push({ field: 'criteria.riskAssessmentYesCount', message: 'must be a whole number from 0 to 27' })
      else riskAssessmentYesCount = yes
    }
    const professionalJudgement = readText(r, c, 'professionalJudgement', 'criteria.professionalJudgement', { max: 4000 })
    if (professionalJudgement !== undefined && professionalJudgement.length < MIN_JUDGEMENT_REASONS_LENGTH) {
      r.errors.push({ field: 'criteria.professionalJudgement', message: `must give your reasons in at least ${MIN_JUDGEMENT_REASONS_LENGTH} characters` })
    }
    const policeIncidentDates: string[] = []
    if (c.policeIncidentDates !== undefined && !Array.isArray(c.policeIncidentDates)) r.errors.push({ field: 'criteria.policeIncidentDates', message: 'must be a list of dates, YYYY-MM-DD' })
    else ((c.policeIncidentDates as unknown[] | undefined) ?? []).forEach((value, i) => {
      const checked = date(r, { value }, 'value', `criteria.policeIncidentDates[${i}]`, today, true)
      if (checked) policeIncidentDates.push(checked)
    })
    criteria = { policeIncidentDates, ...optional('riskAssessmentYesCount', riskAssessmentYesCount), ...optional('professionalJudgement', professionalJudgement) }
  }

  const consent = choice(r, input, 'consent', 'consent', CONSENT)
  const victimKnows = readBoolean(r, input, 'victimKnows', 'victimKnows', { required: true })
  const safeToTalkTo = readText(r, input, 'safeToTalkTo', 'safeToTalkTo', { max: 2000 })
  const unsafeToTalkTo = readText(r, input, 'unsafeToTalkTo', 'unsafeToTalkTo', { max: 2000 })
  const previousMaracs = readText(r, input, 'previousMaracs', 'previousMaracs', { max: 2000 })

  if (r.errors.length > 0 || !victim) return { ok: false, errors: r.errors }
  return {
    ok: true,
    referral: {
      referralReference: referralReference!, areaCode: areaCode!, highPriority, referrer, victim, perpetrators, children, criteria,
      consent: consent!, victimKnows: victimKnows!,
      ...optional('safeToTalkTo', safeToTalkTo), ...optional('unsafeToTalkTo', unsafeToTalkTo), ...optional('previousMaracs', previousMaracs)
    }
  }
}

/** A fingerprint of what was referred (a retry with the same reference must be the same referral). */
export function referralHash(referral: Referral): string {
  return createHash('sha256').update(canonicalJson(referral)).digest('hex')
}

export type Criterion = 'visible-high-risk' | 'professional-judgement' | 'potential-escalation' | 'repeat'

export const CRITERION_TEXT: Record<Criterion, string> = {
  'visible-high-risk': `Visible high risk (${VISIBLE_HIGH_RISK_YES} or more Yes on the risk checklist)`,
  'professional-judgement': 'Professional judgement',
  'potential-escalation': 'Potential escalation (police-reported incidents in the last 12 months)',
  repeat: 'Repeat (referred within 12 months of the last referral)'
}

/** The criteria a referral meets by what it says (a repeat is added by the caller, who knows the earlier referrals). */
export function statedCriteria(criteria: Criteria, escalation: { met: boolean }): Criterion[] {
  const met: Criterion[] = []
  if ((criteria.riskAssessmentYesCount ?? 0) >= VISIBLE_HIGH_RISK_YES) met.push('visible-high-risk')
  if (criteria.professionalJudgement) met.push('professional-judgement')
  if (escalation.met) met.push('potential-escalation')
  return met
}
