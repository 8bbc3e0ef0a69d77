// What a setting records after an Operation Encompass notification: the support it gives (silent or
// overt), a welfare check, its decision about contacting a parent with the reason, a referral to the
// MASH, and the staff told on a need-to-know basis. Pure: checked field by field for the form and the API.
import type { FieldError } from '../platform/validation.ts'

export const SUPPORT = {
  'silent': 'Silent support: staff are aware and watch for the child\'s needs, without raising it with them',
  'overt': 'Overt support: a named adult talks with the child and offers support',
  'none-needed': 'No additional support needed at present'
} as const
export type Support = keyof typeof SUPPORT

export const PARENT_CONTACT = {
  'contacted': 'The school contacted the non-abusing parent or carer',
  'not-contacted': 'The school decided not to contact a parent or carer'
} as const
export type ParentContact = keyof typeof PARENT_CONTACT

export interface SchoolResponse {
  support: Support
  welfareCheck: boolean
  parentContact: ParentContact
  parentContactReason: string
  mashReferral: boolean
  /** the named staff told, one per line: need to know only */
  staffTold: string
}

const yesNo = (value: unknown): boolean | undefined => value === true || value === 'yes' ? true : value === false || value === 'no' ? false : undefined

/** Checks a response from a form (strings, "yes"/"no") or JSON (booleans). */
export function validateResponse(input: Record<string, unknown>): { ok: true, response: SchoolResponse } | { ok: false, errors: FieldError[] } {
  const errors: FieldError[] = []
  const support = input.support
  if (typeof support !== 'string' || !Object.hasOwn(SUPPORT, support)) errors.push({ field: 'support', message: 'Select the support the school is giving' })
  const welfareCheck = yesNo(input.welfareCheck)
  if (welfareCheck === undefined) errors.push({ field: 'welfareCheck', message: 'Select whether a welfare check was made' })
  const parentContact = input.parentContact
  if (typeof parentContact !== 'string' || !Object.hasOwn(PARENT_CONTACT, parentContact)) errors.push({ field: 'parentContact', message: 'Select whether the school contacted a parent or carer' })
  const reason = typeof input.parentContactReason === 'string' ? input.parentContactReason.trim() : ''
  if (reason.length < 10) errors.push({ field: 'parentContactReason', message: 'Give the reason for the decision about contacting a parent or carer (at least 10 characters)' })
  else if (reason.length > 2000) errors.push({ field: 'parentContactReason', message: 'The reason must be 2000 characters or fewer' })
  const mashReferral = yesNo(input.mashReferral)
  if (mashReferral === undefined) errors.push({ field: 'mashReferral', message: 'Select whether the school referred the child to the MASH' })
  const staffTold = typeof input.staffTold === 'string' ? input.staffTold.trim() : ''
  if (staffTold.length > 1000) errors.push({ field: 'staffTold', message: 'The staff told must be 1000 characters or fewer' })
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    response: { support: support as Support, welfareCheck: welfareCheck!, parentContact: parentContact as ParentContact, parentContactReason: reason, mashReferral: mashReferral!, staffTold }
  }
}
