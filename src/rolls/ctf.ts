// A DfE Common Transfer File (XML) read as a pupil roll: the setting is Header/SourceSchool/URN, and each
// CTFpupilData/Pupil is a pupil whose reference is its UPN. Each pupil keeps the line its <Pupil> starts on,
// so problems are reported by line as they are for a CSV roll.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { XMLMetaData } from 'fast-xml-parser'
import type { RollField, RollRecord } from './roll-import.ts'

/** What each roll field is called in a CTF, for messages. */
export const CTF_LABELS: Record<RollField, string> = {
  pupil_id: 'UPN', upn: 'UPN', urn: 'URN', first_name: 'Forename', middle_names: 'MiddleNames', last_name: 'Surname',
  date_of_birth: 'DOB', gender: 'Gender', address: 'Address', postcode: 'PostCode'
}

export interface CtfProblem { line: number, field: string, problem: string }

export interface CtfRoll {
  urn: string
  pupils: RollRecord[]
  /** problems with the file as a whole (not well-formed, no URN); the pupils are checked by the importer */
  problems: CtfProblem[]
}

type XmlNode = Record<string | symbol, unknown>

const META = XMLParser.getMetaDataSymbol() as unknown as symbol

/** A leaf's text ('' for an empty or missing element); numbers are never parsed (UPNs, postcodes stay as written). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as XmlNode)['#text'])
  return ''
}

function nodeOf(value: unknown): XmlNode | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as XmlNode : undefined
}

function lineFinder(text: string): (index: number | undefined) => number {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (index) => {
    if (index === undefined) return 1
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid]! <= index) low = mid
      else high = mid - 1
    }
    return low + 1
  }
}

/** One line of address from BS7666 parts (SAON, PAON and street, locality, town) or from AddressLines. */
export function ctfAddress(address: XmlNode | undefined): string {
  if (!address) return ''
  const bs7666 = nodeOf(address.BS7666Address)
  if (bs7666) {
    const part = (name: string) => textOf(bs7666[name]).trim()
    return [part('SAON'), [part('PAON'), part('Street')].filter(Boolean).join(' '), part('Locality'), part('Town')].filter(Boolean).join(', ')
  }
  const lines = nodeOf(address.AddressLines)
  if (lines) {
    const list = Array.isArray(lines.AddressLine) ? lines.AddressLine : [lines.AddressLine]
    return list.map((line) => textOf(line).trim()).filter(Boolean).join(', ')
  }
  return ''
}

export function readCtf(text: string): CtfRoll {
  const problems: CtfProblem[] = []
  const empty = (line: number, field: string, problem: string): CtfRoll => ({ urn: '', pupils: [], problems: [...problems, { line, field, problem }] })
  const source = text.replace(/^\uFEFF/, '')
  // CTFs carry no DOCTYPE; refusing one keeps entity tricks (billion laughs, external entities) out.
  if (/<!DOCTYPE/i.test(source)) return empty(lineFinder(source)(source.search(/<!DOCTYPE/i)), 'file', 'has a DOCTYPE, which a Common Transfer File does not have')
  const valid = XMLValidator.validate(source)
  if (valid !== true) return empty(valid.err.line, 'file', `is not well-formed XML: ${valid.err.msg}`)

  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    processEntities: true,
    captureMetaData: true,
    isArray: (name, jPath) => (name === 'Pupil' && String(jPath).endsWith('CTFpupilData.Pupil')) || name === 'CTFpupilData' || name === 'AddressLine'
  })
  const lineOf = lineFinder(source)
  const document = parser.parse(source) as XmlNode
  const root = nodeOf(document.CTfile)
  if (!root) return empty(1, 'file', 'is not a Common Transfer File: there is no <CTfile> element')
  const school = nodeOf(nodeOf(root.Header)?.SourceSchool)
  const schoolLine = lineOf((school?.[META] as XMLMetaData | undefined)?.startIndex)
  const urn = textOf(school?.URN).trim()
  if (!school) problems.push({ line: lineOf((nodeOf(root.Header)?.[META] as XMLMetaData | undefined)?.startIndex), field: 'URN', problem: 'the file has no Header/SourceSchool, so the setting is not known' })
  else if (!urn) problems.push({ line: schoolLine, field: 'URN', problem: 'SourceSchool has no URN, so the setting is not known' })
  else if (!/^[0-9]{6}$/.test(urn)) problems.push({ line: schoolLine, field: 'URN', problem: `"${urn.slice(0, 20)}" is not a URN: it must be 6 digits` })

  const pupils: RollRecord[] = []
  const blocks = Array.isArray(root.CTFpupilData) ? root.CTFpupilData : []
  for (const block of blocks) {
    const list = nodeOf(block)?.Pupil
    for (const item of Array.isArray(list) ? list : []) {
      const pupil = nodeOf(item) ?? {}
      const address = nodeOf(pupil.Address)
      const upn = textOf(pupil.UPN).trim().toUpperCase()
      let gender = textOf(pupil.Gender).trim().toUpperCase()
      if (gender === 'U') gender = '' // unknown
      pupils.push({
        line: lineOf((pupil[META] as XMLMetaData | undefined)?.startIndex),
        values: {
          pupil_id: upn, upn, urn,
          first_name: textOf(pupil.Forename), middle_names: textOf(pupil.MiddleNames), last_name: textOf(pupil.Surname),
          date_of_birth: textOf(pupil.DOB), gender,
          address: ctfAddress(address), postcode: textOf(address?.PostCode)
        }
      })
    }
  }
  return { urn, pupils, problems }
}
