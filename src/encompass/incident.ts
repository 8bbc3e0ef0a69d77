// An incident as the police send it, checked field by field; and what a setting is shown of it under
// the partnership's content policy.
import { createHash } from 'node:crypto'
import { canonicalJson } from '../platform/audit/audit.ts'
import { isIsoDate } from '../platform/time/dates.ts'
import { isJsonObject, readBoolean, readText } from '../platform/validation.ts'
import type { FieldError, FieldReader } from '../platform/validation.ts'

export type RiskGrade = 'standard' | 'medium' | 'high'

export interface IncidentAdult { label: 'A' | 'B', firstName: string, lastName: string, dateOfBirth?: string }

export interface IncidentChild {
  firstName: string
  middleNames?: string
  lastName: string
  dateOfBirth: string
  gender?: 'F' | 'M' | 'X'
  address?: string
  postcode?: string
  relationshipToA?: string
  relationshipToB?: string
  present: boolean
  spokenTo?: boolean
  voiceOfChild?: string
  educationSettingUrn?: string
}

export interface IncidentReport {
  policeReference: string
  occurredAt: string
  location: string
  circumstances: string
  riskGrade: RiskGrade | null
  adults: IncidentAdult[]
  children: IncidentChild[]
}

const URN = /^\d{6}$/

/** Checks an incident from the API or a form; every bad field is named, e.g. "children[1].dateOfBirth". */
export function validateIncident(input: unknown, now = new Date()): { ok: true, report: IncidentReport } | { ok: false, errors: FieldError[] } {
  const r: FieldReader = { errors: [] }
  if (!isJsonObject(input)) return { ok: false, errors: [{ field: '(body)', message: 'must be a JSON object' }] }
  const policeReference = readText(r, input, 'policeReference', 'policeReference', { required: true, max: 64 })
  const occurredAt = readText(r, input, 'occurredAt', 'occurredAt', { required: true })
  if (occurredAt !== undefined) {
    const at = Date.parse(occurredAt)
    if (!/^\d{4}-\d{2}-\d{2}T/.test(occurredAt) || Number.isNaN(at)) r.errors.push({ field: 'occurredAt', message: 'must be an ISO date-time, like 2026-11-20T21:15:00Z' })
    else if (at > now.getTime() + 5 * 60_000) r.errors.push({ field: 'occurredAt', message: 'must not be in the future' })
  }
  const location = readText(r, input, 'location', 'location', { required: true, max: 500 })
  const circumstances = readText(r, input, 'circumstances', 'circumstances', { required: true, max: 4000 })
  const grade = input.riskGrade
  if (grade !== undefined && grade !== null && !['standard', 'medium', 'high'].includes(grade as string)) r.errors.push({ field: 'riskGrade', message: 'must be standard, medium, high or null' })

  const adults: IncidentAdult[] = []
  if (!Array.isArray(input.adults)) r.errors.push({ field: 'adults', message: 'must be a list of the adults involved' })
  else input.adults.forEach((adult, i) => {
    const path = `adults[${i}]`
    if (!isJsonObject(adult)) return r.errors.push({ field: path, message: 'must be an object' })
    const label = adult.label
    if (label !== 'A' && label !== 'B') r.errors.push({ field: `${path}.label`, message: 'must be A or B' })
    const firstName = readText(r, adult, 'firstName', `${path}.firstName`, { required: true, max: 100 })
    const lastName = readText(r, adult, 'lastName', `${path}.lastName`, { required: true, max: 100 })
    const dateOfBirth = readText(r, adult, 'dateOfBirth', `${path}.dateOfBirth`)
    if (dateOfBirth !== undefined && !isIsoDate(dateOfBirth)) r.errors.push({ field: `${path}.dateOfBirth`, message: 'must be a date, YYYY-MM-DD' })
    adults.push({ label: label as 'A' | 'B', firstName: firstName ?? '', lastName: lastName ?? '', ...(dateOfBirth ? { dateOfBirth } : {}) })
    return undefined
  })
  if (adults.filter((a) => a.label === 'A').length > 1 || adults.filter((a) => a.label === 'B').length > 1) r.errors.push({ field: 'adults', message: 'must have at most one adult A and one adult B' })

  const children: IncidentChild[] = []
  if (!Array.isArray(input.children) || input.children.length === 0) r.errors.push({ field: 'children', message: 'must list at least one child' })
  else if (input.children.length > 20) r.errors.push({ field: 'children', message: 'must list at most 20 children' })
  else input.children.forEach((child, i) => {
    const path = `children[${i}]`
    if (!isJsonObject(child)) return r.errors.push({ field: path, message: 'must be an object' })
    const firstName = readText(r, child, 'firstName', `${path}.firstName`, { required: true, max: 100 })
    const middleNames = readText(r, child, 'middleNames', `${path}.middleNames`, { max: 200 })
    const lastName = readText(r, child, 'lastName', `${path}.lastName`, { required: true, max: 100 })
    const dateOfBirth = readText(r, child, 'dateOfBirth', `${path}.dateOfBirth`, { required: true })
    if (dateOfBirth !== undefined && !isIsoDate(dateOfBirth)) r.errors.push({ field: `${path}.dateOfBirth`, message: 'must be a date, YYYY-MM-DD' })
    else if (dateOfBirth !== undefined && occurredAt && dateOfBirth > occurredAt.slice(0, 10)) r.errors.push({ field: `${path}.dateOfBirth`, message: 'must not be after the incident' })
    const gender = child.gender
    if (gender !== undefined && gender !== null && !['F', 'M', 'X'].includes(gender as string)) r.errors.push({ field: `${path}.gender`, message: 'must be F, M or X' })
    const address = readText(r, child, 'address', `${path}.address`, { max: 300 })
    const postcode = readText(r, child, 'postcode', `${path}.postcode`, { max: 10 })
    const relationshipToA = readText(r, child, 'relationshipToA', `${path}.relationshipToA`, { max: 100 })
    const relationshipToB = readText(r, child, 'relationshipToB', `${path}.relationshipToB`, { max: 100 })
    const present = readBoolean(r, child, 'present', `${path}.present`, { required: true })
    const spokenTo = readBoolean(r, child, 'spokenTo', `${path}.spokenTo`)
    const voiceOfChild = readText(r, child, 'voiceOfChild', `${path}.voiceOfChild`, { max: 2000 })
    const educationSettingUrn = readText(r, child, 'educationSettingUrn', `${path}.educationSettingUrn`)
    if (educationSettingUrn !== undefined && !URN.test(educationSettingUrn)) r.errors.push({ field: `${path}.educationSettingUrn`, message: 'must be a 6-digit URN' })
    children.push({
      firstName: firstName ?? '', lastName: lastName ?? '', dateOfBirth: dateOfBirth ?? '', present: present ?? false,
      ...(middleNames ? { middleNames } : {}), ...(gender ? { gender: gender as 'F' | 'M' | 'X' } : {}), ...(address ? { address } : {}),
      ...(postcode ? { postcode } : {}), ...(relationshipToA ? { relationshipToA } : {}), ...(relationshipToB ? { relationshipToB } : {}),
      ...(spokenTo !== undefined ? { spokenTo } : {}), ...(voiceOfChild ? { voiceOfChild } : {}), ...(educationSettingUrn ? { educationSettingUrn } : {})
    })
    return undefined
  })
  if (r.errors.length > 0) return { ok: false, errors: r.errors }
  return {
    ok: true,
    report: {
      policeReference: policeReference!, occurredAt: new Date(occurredAt!).toISOString(), location: location!, circumstances: circumstances!,
      riskGrade: (grade as RiskGrade | null | undefined) ?? null, adults, children
    }
  }
}

/** A fingerprint of the report's content: the same report sent again has the same one. */
export function reportHash(report: IncidentReport): string {
  return createHash('sha256').update(canonicalJson(report)).digest('hex')
}

export type ContentPolicy = 'full' | 'minimal'

export interface NotificationContent {
  childName: string
  dateOfBirth: string
  occurredAt: string
  present: boolean
  spokenTo: boolean | null
  policeReference?: string
  location?: string
  voiceOfChild?: string | null
  circumstances?: string
  riskGrade?: RiskGrade | null
}

/** What the setting is shown about one child, under the partnership's content policy. */
export function notificationContent(report: IncidentReport, child: IncidentChild, policy: ContentPolicy): NotificationContent {
  const minimal: NotificationContent = {
    childName: [child.firstName, child.middleNames, child.lastName].filter(Boolean).join(' '),
    dateOfBirth: child.dateOfBirth,
    occurredAt: report.occurredAt,
    present: child.present,
    spokenTo: child.spokenTo ?? null
  }
  if (policy === 'minimal') return minimal
  return {
    ...minimal,
    policeReference: report.policeReference,
    location: report.location,
    voiceOfChild: child.voiceOfChild ?? null,
    circumstances: report.circumstances,
    riskGrade: report.riskGrade
  }
}
