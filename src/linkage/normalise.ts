// Normalising what people write: names (case, accents, hyphens, apostrophes, Mc/Mac, spacing,
// transliteration variants and nicknames) and UK postcodes (area, district, sector, unit).
import { parse as parsePostcode } from 'postcode'
import { phonetic } from './strings.ts'
import { NAME_EQUIVALENTS } from './names.ts'

/** Lower case, accents removed, apostrophes dropped, hyphens and other punctuation to spaces, spaces collapsed. */
export function cleanName(raw: string | null | undefined): string {
  if (!raw) return ''
  return raw
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss').replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/ł/g, 'l').replace(/đ/g, 'd')
    .replace(/['’`‘]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .replace(/\bma?c (?=[a-z])/g, (m) => m.replace(' ', ''))
}

/** A surname's parts: "Smith-Jones" and "Smith Jones" are both ["smith", "jones"]; "Mc Donald" is ["mcdonald"]. */
export function surnameParts(raw: string | null | undefined): string[] {
  const cleaned = cleanName(raw)
  return cleaned ? cleaned.split(' ').filter((part) => part.length > 0) : []
}

/** The name a nickname or transliteration belongs to ("bill" → "william", "mohammed" → "muhammad"). */
export function canonicalFirstName(name: string): string {
  return NAME_EQUIVALENTS.get(name) ?? name
}

export interface Postcode { full: string, sector: string, district: string, area: string }

const EMPTY_POSTCODE: Postcode = { full: '', sector: '', district: '', area: '' }

export function normalisePostcode(raw: string | null | undefined): Postcode {
  if (!raw) return EMPTY_POSTCODE
  const parsed = parsePostcode(raw.trim())
  if (!parsed.valid) {
    // Keep a partial postcode (an outward code alone) at district level.
    const outward = raw.trim().toUpperCase().replace(/\s+/g, '')
    if (/^[A-Z]{1,2}[0-9][0-9A-Z]?$/.test(outward)) return { full: '', sector: '', district: outward, area: outward.replace(/[0-9].*$/, '') }
    return EMPTY_POSTCODE
  }
  return { full: parsed.postcode ?? '', sector: parsed.sector ?? '', district: parsed.district ?? '', area: parsed.area ?? '' }
}

const ADDRESS_STOP = new Set(['flat', 'apartment', 'apt', 'the', 'of', 'and'])
const ADDRESS_ABBREVIATIONS: Record<string, string> = { rd: 'road', st: 'street', ave: 'avenue', av: 'avenue', ln: 'lane', cl: 'close', cres: 'crescent', dr: 'drive', gdns: 'gardens', gr: 'grove', pl: 'place', sq: 'square', ct: 'court', ter: 'terrace', terr: 'terrace', wy: 'way', hse: 'house' }

export function addressTokens(raw: string | null | undefined): string[] {
  if (!raw) return []
  const tokens = raw.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/['’]/g, '').split(/[^a-z0-9]+/)
  const out: string[] = []
  for (const token of tokens) {
    if (!token || ADDRESS_STOP.has(token)) continue
    out.push(ADDRESS_ABBREVIATIONS[token] ?? token)
  }
  return out
}

export type Gender = 'F' | 'M' | 'X' | ''
/** The genders a record may carry (empty: not recorded). */
export const GENDERS: ReadonlySet<string> = new Set<Gender>(['F', 'M', 'X', ''])

export interface PersonRecord {
  id: string
  firstName: string
  middleNames?: string | undefined
  lastName: string
  dateOfBirth: string
  gender?: string | undefined
  address?: string | undefined
  postcode?: string | undefined
}

/** A record ready to compare: everything the comparisons need, worked out once. */
export interface PreparedRecord {
  id: string
  first: string
  firstCanonical: string
  firstPhonetic: string
  middle: string[]
  lastParts: string[]
  last: string
  lastPhonetic: string
  /** YYYYMMDD, or '' when missing or not a date */
  dob: string
  gender: Gender
  postcode: Postcode
  address: string[]
  /** the house number or name's first token, for "same address" */
  addressKey: string
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function normaliseDate(raw: string | null | undefined): string {
  const match = DATE.exec((raw ?? '').trim())
  if (!match) return ''
  const [, y, m, d] = match
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return ''
  return `${y}${m}${d}`
}

function normaliseGender(raw: string | undefined): Gender {
  const g = (raw ?? '').trim().toUpperCase()
  if (g === 'F' || g === 'FEMALE' || g === 'GIRL') return 'F'
  if (g === 'M' || g === 'MALE' || g === 'BOY') return 'M'
  if (g === 'X') return 'X'
  return ''
}

export function prepare(record: PersonRecord): PreparedRecord {
  const firstTokens = cleanName(record.firstName).split(' ').filter(Boolean)
  const first = firstTokens[0] ?? ''
  const middle = [...firstTokens.slice(1), ...cleanName(record.middleNames).split(' ').filter(Boolean)]
  const lastParts = surnameParts(record.lastName)
  const last = lastParts.join('')
  const address = addressTokens(record.address)
  const postcode = normalisePostcode(record.postcode)
  return {
    id: record.id,
    first,
    firstCanonical: canonicalFirstName(first),
    firstPhonetic: phonetic(first),
    middle,
    lastParts,
    last,
    lastPhonetic: phonetic(last),
    dob: normaliseDate(record.dateOfBirth),
    gender: normaliseGender(record.gender),
    postcode,
    address,
    addressKey: address.length > 0 ? `${address[0]} ${address[1] ?? ''}`.trim() : ''
  }
}
