// Is this the same person as in an earlier referral? Recognised through the linkage library, never by
// exact strings: the two people's first names, surnames and dates of birth are compared field by field
// (linkage/comparisons.ts: exact, a known variant or nickname, a one- or two-letter slip, sounds the
// same; a date exact, day and month swapped, one digit different...) and each level's evidence is
// weighed with the partnership's linkage model (linkage/model.ts: log2 m/u bits).
//
// The thresholds, in bits of evidence from name and date of birth alone:
// - SAME_PERSON_BITS (17): with both dates of birth known. Exact name and date give about 28 bits; a
//   one-letter slip in a first name about 26; one mistyped digit in the date about 18. A different first
//   name with the same surname and birthday (a twin, about 15) and a different surname with the same first
//   name and birthday (about 15) stay below it.
// - With a perpetrator of the earlier referral recognised, the victim is recognised on the same date of
//   birth and the same first name (or a known variant or nickname) whatever her surname: a surname often
//   changes after separation (sameVictimWithPerpetrator). A twin (another first name) still is not.
// - SAME_NAME_BITS (12): only for a perpetrator whose date of birth is missing on one side, and only once
//   the victim is already recognised (the same victim and a perpetrator of the same name is, in practice,
//   the same pair; erring that way brings the case back to MARAC rather than losing it).
import { DATE_OF_BIRTH, DOB_EXACT, FIRST_EXACT, FIRST_NAME, FIRST_VARIANT, SURNAME, compareDateOfBirth, compareFirstName, compareSurname } from '../linkage/comparisons.ts'
import { prepare } from '../linkage/normalise.ts'
import type { PreparedRecord } from '../linkage/normalise.ts'
import { fieldWeight } from '../linkage/model.ts'
import type { LinkageModel } from '../linkage/model.ts'
import { defaultModel } from '../rolls/link-files.ts'

export const SAME_PERSON_BITS = 17
export const SAME_NAME_BITS = 12

export interface NamedPerson { firstName: string, lastName: string, dateOfBirth?: string | undefined }

let model: LinkageModel | undefined
const linkageModel = () => (model ??= defaultModel())

export const preparePerson = (person: NamedPerson, id = ''): PreparedRecord =>
  prepare({ id, firstName: person.firstName, lastName: person.lastName, dateOfBirth: person.dateOfBirth ?? '' })

export interface PersonComparison {
  /** levels, as linkage/comparisons.ts names them */
  levels: { firstName: number, surname: number, dateOfBirth: number }
  /** bits of evidence from the names alone, and with the date of birth */
  nameBits: number
  bits: number
  dateOfBirthKnown: boolean
}

/** Compares two people on first name, surname and date of birth. */
export function comparePeople(a: PreparedRecord, b: PreparedRecord): PersonComparison {
  const m = linkageModel()
  const levels = { firstName: compareFirstName(a, b), surname: compareSurname(a, b), dateOfBirth: compareDateOfBirth(a, b) }
  const nameBits = fieldWeight(m, FIRST_NAME, levels.firstName) + fieldWeight(m, SURNAME, levels.surname)
  return { levels, nameBits, bits: nameBits + fieldWeight(m, DATE_OF_BIRTH, levels.dateOfBirth), dateOfBirthKnown: levels.dateOfBirth !== 0 }
}

/** The same person: names and date of birth together give at least SAME_PERSON_BITS. */
export function samePerson(a: PreparedRecord, b: PreparedRecord): boolean {
  const comparison = comparePeople(a, b)
  return comparison.dateOfBirthKnown && comparison.bits >= SAME_PERSON_BITS
}

/**
 * The same victim, once a perpetrator of the earlier referral is recognised: the same date of birth
 * exactly, and the same first name (exactly, or a known variant or nickname), whatever the surname (a
 * victim's surname often changes after separation). A twin sister (same birthday and surname, another
 * first name) is still not her.
 */
export function sameVictimWithPerpetrator(a: PreparedRecord, b: PreparedRecord): boolean {
  const levels = comparePeople(a, b).levels
  return levels.dateOfBirth === DOB_EXACT && (levels.firstName === FIRST_EXACT || levels.firstName === FIRST_VARIANT)
}

/** The same perpetrator (of a victim already recognised): as samePerson, or by name when a date of birth is missing. */
export function samePerpetrator(a: PreparedRecord, b: PreparedRecord): boolean {
  const comparison = comparePeople(a, b)
  return comparison.dateOfBirthKnown ? comparison.bits >= SAME_PERSON_BITS : comparison.nameBits >= SAME_NAME_BITS
}

/** The surname as the linkage library cleans it (a blocking key for finding earlier referrals). */
export function surnameKey(lastName: string): string {
  return preparePerson({ firstName: '', lastName }).last
}
