// Field-by-field comparison in the style of Splink: each field gets a level, best agreement first.
// Level 0 always means "missing on one side" (it neither helps nor hurts).
import type { PreparedRecord } from './normalise.ts'
import { editDistance, jaroWinkler } from './strings.ts'
import { sameNameGroup } from './names.ts'

export interface FieldDefinition {
  name: string
  /** what a caseworker reads: for each level, what it means */
  levels: readonly string[]
}

export const FIELDS = [
  { name: 'First name', levels: ['missing', 'exactly the same', 'a known nickname or spelling variant', 'nearly the same (one or two letters)', 'similar', 'sounds the same', 'loosely similar', 'is a middle name on the roll', 'the roll\'s first name is a middle name here', 'different'] },
  { name: 'Surname', levels: ['missing', 'exactly the same', 'one part of a double-barrelled surname', 'nearly the same (one or two letters)', 'similar', 'sounds the same', 'different'] },
  { name: 'Date of birth', levels: ['missing', 'exactly the same', 'day and month swapped', 'one digit different', 'within a month', 'within a year', 'different'] },
  { name: 'Gender', levels: ['missing', 'the same', 'different'] },
  { name: 'Postcode', levels: ['missing', 'exactly the same', 'same sector (neighbouring streets)', 'same district', 'different'] },
  { name: 'Address', levels: ['missing', 'same house and street', 'same street', 'different'] }
] as const satisfies readonly FieldDefinition[]

export const FIELD_COUNT = FIELDS.length
export const FIRST_NAME = 0
export const SURNAME = 1
export const DATE_OF_BIRTH = 2
export const GENDER = 3
export const POSTCODE = 4
export const ADDRESS = 5

export const FIRST_EXACT = 1
export const FIRST_VARIANT = 2
export const FIRST_NEARLY = 3
export const FIRST_MIDDLE = 7
export const SURNAME_EXACT = 1
export const SURNAME_PART = 2
export const SURNAME_DIFFERENT = 6
export const DOB_EXACT = 1
export const DOB_SWAPPED = 2
export const DOB_ONE_DIGIT = 3
export const ADDRESS_SAME = 1
export const POSTCODE_FULL = 1

/** a is the child as reported, b the candidate on the roll (the middle-name levels are one-way). */
export function compareFirstName(a: PreparedRecord, b: PreparedRecord): number {
  if (!a.first || !b.first) return 0
  if (a.first === b.first) return 1
  if (a.firstCanonical === b.firstCanonical || sameNameGroup(a.first, b.first)) return 2
  const jw = jaroWinkler(a.first, b.first)
  if (jw >= 0.92) return 3
  if (jw >= 0.88) return 4
  if (a.firstPhonetic === b.firstPhonetic) return 5
  if (jw >= 0.7) return 6
  if (b.middle.includes(a.first)) return 7
  if (a.middle.includes(b.first)) return 8
  return 9
}

export function compareSurname(a: PreparedRecord, b: PreparedRecord): number {
  if (!a.last || !b.last) return 0
  if (a.last === b.last) return 1
  if (a.lastParts.length + b.lastParts.length > 2 && a.lastParts.some((part) => part.length > 1 && b.lastParts.includes(part))) return 2
  const jw = jaroWinkler(a.last, b.last)
  if (jw >= 0.92) return 3
  if (jw >= 0.88) return 4
  if (a.lastPhonetic === b.lastPhonetic) return 5
  return 6
}

function dayNumber(yyyymmdd: string): number {
  return Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) / 86_400_000
}

export function compareDateOfBirth(a: PreparedRecord, b: PreparedRecord): number {
  if (!a.dob || !b.dob) return 0
  if (a.dob === b.dob) return 1
  if (a.dob.slice(0, 4) === b.dob.slice(0, 4) && a.dob.slice(4, 6) === b.dob.slice(6, 8) && a.dob.slice(6, 8) === b.dob.slice(4, 6)) return 2
  let differing = 0
  for (let i = 0; i < 8 && differing < 2; i++) if (a.dob.charCodeAt(i) !== b.dob.charCodeAt(i)) differing++
  if (differing === 1) return 3
  const days = Math.abs(dayNumber(a.dob) - dayNumber(b.dob))
  if (days <= 31) return 4
  if (days <= 366) return 5
  return 6
}

export function compareGender(a: PreparedRecord, b: PreparedRecord): number {
  if (!a.gender || !b.gender || a.gender === 'X' || b.gender === 'X') return 0
  return a.gender === b.gender ? 1 : 2
}

export function comparePostcode(a: PreparedRecord, b: PreparedRecord): number {
  if (!a.postcode.district || !b.postcode.district) return 0
  if (a.postcode.full && a.postcode.full === b.postcode.full) return 1
  if (a.postcode.sector && a.postcode.sector === b.postcode.sector) return 2
  if (a.postcode.district === b.postcode.district) return 3
  return 4
}

export function compareAddress(a: PreparedRecord, b: PreparedRecord): number {
  if (a.address.length === 0 || b.address.length === 0) return 0
  if (a.addressKey === b.addressKey && editDistance(a.address.join(' '), b.address.join(' '), 3) <= 3) return 1
  const words = (tokens: string[]) => tokens.filter((t) => !/^[0-9]/.test(t))
  const wa = words(a.address)
  const wb = new Set(words(b.address))
  if (wa.length > 0 && wa.filter((t) => wb.has(t)).length * 2 >= Math.max(wa.length, wb.size)) return 2
  return 3
}

/** The comparison vector of two records: one level per field, in FIELDS order. */
export function compareRecords(a: PreparedRecord, b: PreparedRecord, into = new Uint8Array(FIELD_COUNT)): Uint8Array {
  into[FIRST_NAME] = compareFirstName(a, b)
  into[SURNAME] = compareSurname(a, b)
  into[DATE_OF_BIRTH] = compareDateOfBirth(a, b)
  into[GENDER] = compareGender(a, b)
  into[POSTCODE] = comparePostcode(a, b)
  into[ADDRESS] = compareAddress(a, b)
  return into
}
