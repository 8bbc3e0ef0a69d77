// Education settings from the DfE's Get Information about Schools (GIAS): the establishments CSV and its
// links file, as published (Windows-1252 text, GIAS's own column names; the ~120 columns Harbour does not
// use are ignored). All or nothing: both files are checked first, every bad row named by line and column;
// only clean files are written, in one transaction, each establishment upserted as an organisation
// (reference URN-<urn>) with its education_setting row. Optionally only one local authority's settings.
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { RequestOrigin } from '../platform/auth/auth-service.ts'
import { CsvParser } from '../platform/csv.ts'
import { ImportProblems, quoted } from '../platform/import-problems.ts'
import type { ImportRefusal } from '../platform/import-problems.ts'
import { calendarsChanged, currentCalendarGeneration } from './calendars.ts'
import type { CsvRow } from '../platform/csv.ts'
import { LOCKS } from '../platform/db/locks.ts'

export const GIAS_COLUMNS = {
  urn: 'URN',
  laCode: 'LA (code)',
  laName: 'LA (name)',
  name: 'EstablishmentName',
  type: 'TypeOfEstablishment (name)',
  status: 'EstablishmentStatus (name)',
  phase: 'PhaseOfEducation (name)',
  lowAge: 'StatutoryLowAge',
  highAge: 'StatutoryHighAge',
  postcode: 'Postcode'
} as const
export const GIAS_LINK_COLUMNS = { urn: 'URN', linkUrn: 'LinkURN', linkType: 'LinkType' } as const

const BATCH = 500
const GIAS_IMPORT_LOCK = LOCKS.giasImport
const URN = /^[0-9]{6}$/
const LA_CODE = /^[0-9]{3}$/

export interface GiasImportOptions {
  /** the establishments CSV (edubasealldata....csv) */
  path: string
  /** the links CSV (links_edubasealldata....csv); without it the links Harbour has are kept */
  linksPath?: string | undefined
  /** only this local authority's settings (its 3-digit code, "LA (code)") */
  laCode?: string | undefined
  actor: Actor
  origin?: RequestOrigin
}

export interface GiasImportSuccess {
  ok: true
  fileName: string
  laCode: string | undefined
  /** establishments imported */
  settings: number
  created: number
  updated: number
  /** rows of other local authorities, left out */
  skipped: number
  /** links imported, when a links file was given */
  links: number | undefined
}

/** Problems read "file: line N: column — problem". */
export type GiasImportFailure = ImportRefusal

export type GiasImportResult = GiasImportSuccess | GiasImportFailure

/** A request the importer cannot carry out (a bad LA code): nothing was imported. */
export class GiasImportError extends Error {
  override name = 'GiasImportError'
}

interface Establishment {
  urn: string
  name: string
  laCode: string
  laName: string
  type: string
  status: string
  phase: string
  lowAge: number | null
  highAge: number | null
  postcode: string
}

interface Link { urn: string, linkUrn: string, linkType: string }


/** Rows of a Windows-1252 CSV file, streamed, each with its line number (the header is line 1). */
export async function* readCp1252Csv(path: string): AsyncGenerator<CsvRow> {
  const parser = new CsvParser()
  const decoder = new TextDecoder('windows-1252')
  let first = true
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let text = decoder.decode(chunk as Buffer, { stream: true })
    if (first) {
      // a UTF-8 byte order mark read as Windows-1252
      text = text.replace(/^\u00EF\u00BB\u00BF/, '')
      first = false
    }
    yield* parser.push(text)
  }
  yield* parser.push(decoder.decode())
  yield* parser.end()
}

/** Reads a CSV with named columns: each data row as a record of the wanted columns. */
async function* namedRows<K extends string>(path: string, file: string, columns: Record<K, string>, problems: ImportProblems): AsyncGenerator<{ line: number, values: Record<K, string> }> {
  const keys = Object.keys(columns) as K[]
  let positions: number[] | undefined
  let width = 0
  try {
    for await (const row of readCp1252Csv(path)) {
      if (!positions) {
        const at = new Map(row.values.map((name, i) => [name.trim(), i]))
        const missing = keys.filter((key) => !at.has(columns[key]))
        if (missing.length > 0) {
          problems.add(row.line, 'header', `missing column${missing.length > 1 ? 's' : ''} ${missing.map((key) => columns[key]).join(', ')}: is this the GIAS ${file === 'links' ? 'links' : 'establishments'} file?`, file)
          return
        }
        positions = keys.map((key) => at.get(columns[key])!)
        width = row.values.length
        continue
      }
      if (row.values.length !== width) {
        problems.add(row.line, 'row', `has ${row.values.length} values where the header has ${width} columns`, file)
        continue
      }
      const values = {} as Record<K, string>
      keys.forEach((key, i) => { values[key] = (row.values[positions![i]!] ?? '').trim() })
      yield { line: row.line, values }
    }
  } catch (error) {
    const unclosed = error instanceof Error ? /^Line (\d+): a quoted field is not closed/.exec(error.message) : null
    if (!unclosed) throw error
    problems.add(Number(unclosed[1]), 'row', 'a quoted value is not closed (a " with no closing ")', file)
    return
  }
  if (!positions) problems.add(1, 'file', 'is empty: it needs GIAS\'s header row', file)
}

function age(text: string, column: string, report: (column: string, problem: string) => void): number | null {
  if (text === '') return null
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) > 25) {
    report(column, `${quoted(text)} is not an age in years (0 to 25)`)
    return null
  }
  return Number(text)
}

export async function importGias(db: Db, options: GiasImportOptions): Promise<GiasImportResult> {
  const laCode = options.laCode?.trim()
  if (laCode !== undefined && !LA_CODE.test(laCode)) throw new GiasImportError(`The LA code "${options.laCode}" is not a local authority code: it is 3 digits, like 990`)
  const fileName = basename(options.path)
  const problems = new ImportProblems()
  const C = GIAS_COLUMNS

  // 1. Check everything; write nothing unless every row is good.
  const establishments: Establishment[] = []
  const firstLine = new Map<string, number>()
  let skipped = 0
  for await (const { line, values } of namedRows(options.path, 'establishments', C, problems)) {
    const report = (column: string, problem: string) => problems.add(line, column, problem, 'establishments')
    if (laCode !== undefined && values.laCode !== laCode) {
      skipped++
      continue
    }
    const before = problems.count
    if (!values.urn) report(C.urn, 'is empty, and every establishment has one')
    else if (!URN.test(values.urn)) report(C.urn, `${quoted(values.urn)} is not a URN: it must be 6 digits`)
    else {
      const earlier = firstLine.get(values.urn)
      if (earlier !== undefined) report(C.urn, `${values.urn} is also on line ${earlier}: each establishment is in the file once`)
      else firstLine.set(values.urn, line)
    }
    if (!values.name) report(C.name, 'is empty, and every establishment has a name')
    else if (values.name.length > 200) report(C.name, `is ${values.name.length} characters long; at most 200`)
    if (!LA_CODE.test(values.laCode)) report(C.laCode, `${quoted(values.laCode)} is not a local authority code (3 digits)`)
    const lowAge = age(values.lowAge, C.lowAge, report)
    const highAge = age(values.highAge, C.highAge, report)
    if (lowAge !== null && highAge !== null && lowAge > highAge) report(C.highAge, `${highAge} is below the ${C.lowAge}, ${lowAge}`)
    if (values.postcode.length > 20) report(C.postcode, `${quoted(values.postcode)} is not a postcode`)
    if (problems.count > before) continue
    establishments.push({
      urn: values.urn, name: values.name, laCode: values.laCode, laName: values.laName, type: values.type, status: values.status,
      phase: values.phase, lowAge, highAge, postcode: values.postcode.toUpperCase().replace(/\s+/g, ' ')
    })
  }
  if (establishments.length === 0 && problems.count === 0) {
    problems.add(2, 'file', laCode === undefined ? 'has no establishments' : `has no establishments in LA ${laCode}`, 'establishments')
  }

  let links: Link[] | undefined
  if (options.linksPath) {
    links = []
    const L = GIAS_LINK_COLUMNS
    const seen = new Set<string>()
    const imported = new Set(establishments.map((e) => e.urn))
    for await (const { line, values } of namedRows(options.linksPath, 'links', L, problems)) {
      const report = (column: string, problem: string) => problems.add(line, column, problem, 'links')
      const before = problems.count
      if (!URN.test(values.urn)) report(L.urn, `${quoted(values.urn)} is not a URN: it must be 6 digits`)
      if (!URN.test(values.linkUrn)) report(L.linkUrn, `${quoted(values.linkUrn)} is not a URN: it must be 6 digits`)
      if (!values.linkType) report(L.linkType, 'is empty, and every link has a type (Successor, Predecessor, ...)')
      else if (values.linkType.length > 100) report(L.linkType, `is ${values.linkType.length} characters long; at most 100`)
      if (problems.count > before) continue
      // filtered to one LA: the links that touch its settings
      if (laCode !== undefined && !imported.has(values.urn) && !imported.has(values.linkUrn)) continue
      const key = `${values.urn} ${values.linkUrn} ${values.linkType}`
      if (seen.has(key)) continue
      seen.add(key)
      links.push({ urn: values.urn, linkUrn: values.linkUrn, linkType: values.linkType })
    }
  }

  const auditDetails = { fileName, linksFileName: options.linksPath ? basename(options.linksPath) : undefined, laCode }
  if (problems.count > 0) {
    await appendAudit(db, {
      actor: options.actor, action: 'gias-import', outcome: 'failure', recordType: 'education-setting', ...options.origin,
      details: { ...auditDetails, problems: problems.count, reason: 'bad rows' }
    })
    return { ok: false, fileName, problems: problems.list, problemCount: problems.count }
  }

  // 2. One transaction: upsert each establishment as an organisation and its setting, then the links.
  const { created, updated } = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${GIAS_IMPORT_LOCK})`.execute(trx)
    let created = 0
    let updated = 0
    for (let i = 0; i < establishments.length; i += BATCH) {
      const batch = establishments.slice(i, i + BATCH)
      const organisations = await trx.insertInto('organisation')
        .values(batch.map((e) => ({ reference: `URN-${e.urn}`, name: e.name, type: 'education_setting', urn: e.urn })))
        .onConflict((oc) => oc.column('urn').doUpdateSet({ name: (eb) => eb.ref('excluded.name') }))
        .returning(['id', 'urn', sql<boolean>`xmax = 0`.as('inserted')])
        .execute()
      const idOf = new Map(organisations.map((o) => [o.urn!, o.id]))
      for (const o of organisations) {
        if (o.inserted) created++
        else updated++
      }
      await trx.insertInto('education_setting')
        .values(batch.map((e) => ({
          organisation_id: idOf.get(e.urn)!, urn: e.urn, la_code: e.laCode, la_name: e.laName, type_of_establishment: e.type, status: e.status,
          phase: e.phase, statutory_low_age: e.lowAge, statutory_high_age: e.highAge, postcode: e.postcode
        })))
        .onConflict((oc) => oc.column('organisation_id').doUpdateSet((eb) => ({
          la_code: eb.ref('excluded.la_code'), la_name: eb.ref('excluded.la_name'), type_of_establishment: eb.ref('excluded.type_of_establishment'),
          status: eb.ref('excluded.status'), phase: eb.ref('excluded.phase'), statutory_low_age: eb.ref('excluded.statutory_low_age'),
          statutory_high_age: eb.ref('excluded.statutory_high_age'), postcode: eb.ref('excluded.postcode'), updated_at: sql`now()`
        })))
        .execute()
    }
    if (links) {
      // the file is the truth about the links of the URNs it has (or, filtered, of the LA's settings)
      const urns = [...new Set([...links.map((l) => l.urn), ...(laCode !== undefined ? establishments.map((e) => e.urn) : [])])]
      if (laCode === undefined) await trx.deleteFrom('gias_link').execute()
      else if (urns.length > 0) await trx.deleteFrom('gias_link').where('urn', 'in', urns).execute()
      for (let i = 0; i < links.length; i += BATCH) {
        await trx.insertInto('gias_link')
          .values(links.slice(i, i + BATCH).map((l) => ({ urn: l.urn, link_urn: l.linkUrn, link_type: l.linkType })))
          .onConflict((oc) => oc.columns(['urn', 'link_urn', 'link_type']).doNothing())
          .execute()
      }
    }
    await appendAudit(trx, {
      actor: options.actor, action: 'gias-import', recordType: 'education-setting', ...options.origin,
      details: { ...auditDetails, settings: establishments.length, created, updated, skipped, links: links?.length }
    })
    return { created, updated }
  })
  // settings, their calendars' council and their successor links may have changed: caches drop theirs
  calendarsChanged()
  return { ok: true, fileName, laCode, settings: establishments.length, created, updated, skipped, links: links?.length }
}

/** A successor link: "Successor", "Successor - amalgamated", "Successor - merged", "Successor - Split School", ... */
export function isSuccessorLink(linkType: string): boolean {
  return /^successor\b/i.test(linkType.trim())
}

const MAX_HOPS = 50

/**
 * The URN a predecessor's pupils reach: follows successor links from `urn` to the school that has no
 * successor (the URN itself when it has none). Where a school has several successors (a split), an open
 * one is preferred, then the lowest URN. A cycle of links stops at the last school before it repeats.
 */
export async function successorUrn(db: Db, urn: string): Promise<string> {
  const visited = new Set<string>([urn])
  let current = urn
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const candidates = await db.selectFrom('gias_link as l')
      .leftJoin('education_setting as s', 's.urn', 'l.link_urn')
      .select(['l.link_urn', 'l.link_type', 's.status'])
      .where('l.urn', '=', current)
      .execute()
    const successors = candidates
      .filter((c) => isSuccessorLink(c.link_type) && !visited.has(c.link_urn))
      .sort((a, b) => Number(isClosed(a.status)) - Number(isClosed(b.status)) || a.link_urn.localeCompare(b.link_urn))
    const next = successors[0]
    if (!next) return current
    visited.add(next.link_urn)
    current = next.link_urn
  }
  return current
}

function isClosed(status: string | null): boolean {
  return status !== null && /^closed/i.test(status)
}

/**
 * successorUrn kept in memory for a short time (one per Harbour instance), for the intake's matched
 * children. Dropped on a GIAS import in this process (calendarsChanged); an import by another process
 * is seen within the time to live.
 */
export class SuccessorCache {
  readonly #ttlMs: number
  #generation = currentCalendarGeneration()
  readonly #urns = new Map<string, { at: number, value: Promise<string> }>()

  constructor(ttlMs = 30_000) {
    this.#ttlMs = ttlMs
  }

  invalidate(): void {
    this.#urns.clear()
  }

  async successorUrn(db: Db, urn: string): Promise<string> {
    if (this.#generation !== currentCalendarGeneration()) {
      this.#generation = currentCalendarGeneration()
      this.invalidate()
    }
    const hit = this.#urns.get(urn)
    if (hit && performance.now() - hit.at < this.#ttlMs) return await hit.value
    const entry = { at: performance.now(), value: successorUrn(db, urn) }
    this.#urns.set(urn, entry)
    return await entry.value.catch((error: unknown) => {
      if (this.#urns.get(urn) === entry) this.#urns.delete(urn)
      throw error
    })
  }
}
