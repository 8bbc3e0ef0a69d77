// Importing a pupil roll, from CSV (one setting's roll or a whole council's) or from a DfE Common Transfer
// File, into the database. All or nothing: the whole file is checked first (streaming, every bad row named
// by line and field); only a clean file is written, in one transaction that replaces the rolls of the
// settings in the file. A pupil the new roll no longer has is kept, "left on" the roll's as-at date.
//
// Speed: rows go into a temporary staging table in large batches (one `unnest` of column arrays per
// batch, so a batch of 10,000 rows is 10 parameters), then three set-based statements merge the staging
// table into `pupil`. The same SQL runs on PGlite and PostgreSQL.
import { isIsoDate, todayInLondon } from '../platform/time/dates.ts'
import type { ReportedChild } from './review.ts'
import { open, readFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { RequestOrigin } from '../platform/auth/auth-service.ts'
import { readCsvFile } from '../platform/csv.ts'
import { ROLL_COLUMNS } from './link-files.ts'
import { CTF_LABELS, readCtf } from './ctf.ts'
import type { CtfRoll } from './ctf.ts'
import { ImportProblems, quoted } from '../platform/import-problems.ts'
import type { ImportRefusal } from '../platform/import-problems.ts'
import { LOCKS } from '../platform/db/locks.ts'
import { GENDERS } from '../linkage/normalise.ts'

export type RollField = typeof ROLL_COLUMNS[number]
/** One pupil as read from a file, values as written (untrimmed), with the line it starts on. */
export interface RollRecord { line: number, values: Record<RollField, string> }
export type RollSourceKind = 'csv' | 'ctf'

export interface RollImportProgress {
  phase: 'validating' | 'writing' | 'merging'
  /** rows checked (validating) or written to the staging table (writing); all of them (merging) */
  rows: number
  /** the file's rows, once known */
  total?: number
}

export interface RollImportOptions {
  path: string
  /** the name to record (an upload's own name); default the path's file name */
  fileName?: string
  /** default: by the file name's extension (.xml is a CTF, .csv a CSV), else by its first character */
  format?: RollSourceKind
  /** the date the roll is true on, YYYY-MM-DD; default today in Europe/London */
  asAt?: string
  actor: Actor
  origin?: RequestOrigin
  /** the file really is the whole roll, even though most of a setting's pupils are missing from it */
  allowShrink?: boolean
  onProgress?: (progress: RollImportProgress) => void
}

export interface RollImportSuccess {
  ok: true
  importId: string
  source: RollSourceKind
  fileName: string
  asAt: string
  urns: string[]
  /** pupils in the file */
  pupils: number
  /** new to their setting's roll, or back on it after leaving */
  joined: number
  /** on a setting's roll before, not in this file: now "left on" the as-at date */
  left: number
  seconds: number
}

/** Problems read "line N: field — problem". */
export interface RollImportFailure extends ImportRefusal {
  source: RollSourceKind
}

export type RollImportResult = RollImportSuccess | RollImportFailure

/** A request the importer cannot carry out (a bad as-at date, a file that changed while read): nothing was imported. */
export class RollImportError extends Error {
  override name = 'RollImportError'
}

/** settings smaller than this may change by more than half from one roll to the next */
const SHRINK_MINIMUM = 10
const BATCH_ROWS = 10_000
const ROLL_IMPORT_LOCK = LOCKS.rollImport

const UPN = /^[A-Z](?:[0-9]{12}|[0-9]{11}[A-Z])$/
const URN = /^[0-9]{6}$/
const MAX_LENGTH: Partial<Record<RollField, number>> = { pupil_id: 100, first_name: 100, middle_names: 200, last_name: 100, address: 500, postcode: 20 }



/** A pupil as it goes into the database: trimmed, UPN and postcode in capitals. */
interface StagedPupil extends ReportedChild {
  pupilRef: string
  upn: string | null
  urn: string
}

interface RollSource {
  kind: RollSourceKind
  /** what each field is called in this kind of file */
  labels: Record<RollField, string>
  /** false where the URN is the file's (a CTF's header), checked once rather than on every pupil */
  checkUrn: boolean
  /** The pupils in file order; problems with the file itself go to fileProblem. Can be read again. */
  records(fileProblem: (line: number, field: string, problem: string) => void): AsyncIterable<RollRecord>
}

const CSV_LABELS = Object.fromEntries(ROLL_COLUMNS.map((column) => [column, column])) as Record<RollField, string>

function csvSource(path: string): RollSource {
  return {
    kind: 'csv',
    labels: CSV_LABELS,
    checkUrn: true,
    async* records(fileProblem) {
      let columns: number[] | undefined
      let width = 0
      try {
        for await (const row of readCsvFile(path)) {
          if (!columns) {
            const positions = new Map(row.values.map((name, i) => [name.trim().toLowerCase(), i]))
            const missing = ROLL_COLUMNS.filter((column) => !positions.has(column))
            if (missing.length > 0) {
              fileProblem(row.line, 'header', `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header must have ${ROLL_COLUMNS.join(',')})`)
              return
            }
            columns = ROLL_COLUMNS.map((column) => positions.get(column)!)
            width = row.values.length
            continue
          }
          if (row.values.length !== width) {
            fileProblem(row.line, 'row', `has ${row.values.length} values where the header has ${width} columns (a comma inside a value that is not in quotes?)`)
            continue
          }
          const values = {} as Record<RollField, string>
          for (let i = 0; i < ROLL_COLUMNS.length; i++) values[ROLL_COLUMNS[i]!] = row.values[columns[i]!] ?? ''
          yield { line: row.line, values }
        }
      } catch (error) {
        const unclosed = error instanceof Error ? /^Line (\d+): a quoted field is not closed/.exec(error.message) : null
        if (!unclosed) throw error
        fileProblem(Number(unclosed[1]), 'row', 'a quoted value is not closed (a " with no closing ")')
        return
      }
      if (!columns) fileProblem(1, 'file', `is empty: it needs a header row ${ROLL_COLUMNS.join(',')} and a row for each pupil`)
    }
  }
}

function ctfSource(path: string): RollSource {
  let roll: CtfRoll | undefined
  return {
    kind: 'ctf',
    labels: CTF_LABELS,
    checkUrn: false,
    async* records(fileProblem) {
      roll ??= readCtf(await readFile(path, 'utf8'))
      for (const problem of roll.problems) fileProblem(problem.line, problem.field, problem.problem)
      yield* roll.pupils
    }
  }
}

/** CSV or CTF, by the file name's extension or else by its first character. */
export async function detectFormat(path: string, fileName = path): Promise<RollSourceKind> {
  const extension = extname(fileName).toLowerCase()
  if (extension === '.xml' || extension === '.ctf') return 'ctf'
  if (extension === '.csv') return 'csv'
  const file = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(512), 0, 512, 0)
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('<') ? 'ctf' : 'csv'
  } finally {
    await file.close()
  }
}

/** Checks one pupil, reporting each problem by field; returns the pupil as it would be stored. */
function checkPupil(record: RollRecord, source: RollSource, asAt: string, report: (field: string, problem: string) => void): { pupil: StagedPupil, ok: boolean } {
  const labels = source.labels
  let ok = true
  const problem = (field: RollField, text: string) => {
    ok = false
    report(labels[field], text)
  }
  const value = (field: RollField, required: boolean): string => {
    const text = record.values[field].trim()
    if (required && text === '') problem(field, 'is empty, and every pupil needs one')
    const max = MAX_LENGTH[field]
    if (max !== undefined && text.length > max) problem(field, `is ${text.length} characters long; at most ${max}`)
    // U+FFFD is what a byte that is not UTF-8 becomes: a file saved as Windows "CSV" rather than "CSV UTF-8"
    if (text.includes('\uFFFD')) problem(field, `${quoted(text)} has characters that are not UTF-8: save the file as "CSV UTF-8" and try again`)
    return text
  }
  const pupilRef = value('pupil_id', true)
  const upn = value('upn', false).toUpperCase()
  if (upn && !UPN.test(upn)) {
    problem('upn', `${quoted(upn)} is not a UPN: it must be 13 characters, a letter then 12 digits (or 11 digits and a letter)`)
  }
  const urn = record.values.urn.trim()
  if (source.checkUrn) {
    if (!urn) problem('urn', 'is empty, and every pupil needs one (the setting\'s 6-digit URN)')
    else if (!URN.test(urn)) problem('urn', `${quoted(urn)} is not a URN: it must be 6 digits`)
  }
  const firstName = value('first_name', true)
  const middleNames = value('middle_names', false)
  const lastName = value('last_name', true)
  const dateOfBirth = value('date_of_birth', true)
  if (dateOfBirth) {
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(dateOfBirth)) problem('date_of_birth', `${quoted(dateOfBirth)} is not a date written YYYY-MM-DD, like 2016-03-27`)
    else if (!isIsoDate(dateOfBirth)) problem('date_of_birth', `${quoted(dateOfBirth)} is not a real date`)
    else if (dateOfBirth > asAt) problem('date_of_birth', `${dateOfBirth} is after the roll's as-at date, ${asAt}`)
    else if (dateOfBirth < '1900-01-01') problem('date_of_birth', `${dateOfBirth} is before 1900`)
  }
  const gender = record.values.gender.trim().toUpperCase()
  if (!GENDERS.has(gender)) problem('gender', `${quoted(record.values.gender.trim())} is not a gender Harbour knows: use F, M, X or leave it empty`)
  const address = value('address', false)
  const postcode = value('postcode', false).toUpperCase().replace(/\s+/g, ' ')
  return { pupil: { pupilRef, upn: upn || null, urn, firstName, middleNames, lastName, dateOfBirth, gender, address, postcode }, ok }
}


/** Column arrays for one `insert ... select * from unnest(...)`. */
class Batch {
  pupilRef: string[] = []
  upn: Array<string | null> = []
  urn: string[] = []
  firstName: string[] = []
  middleNames: string[] = []
  lastName: string[] = []
  dateOfBirth: string[] = []
  gender: string[] = []
  address: string[] = []
  postcode: string[] = []

  get size(): number { return this.pupilRef.length }

  push(pupil: StagedPupil): void {
    this.pupilRef.push(pupil.pupilRef)
    this.upn.push(pupil.upn)
    this.urn.push(pupil.urn)
    this.firstName.push(pupil.firstName)
    this.middleNames.push(pupil.middleNames)
    this.lastName.push(pupil.lastName)
    this.dateOfBirth.push(pupil.dateOfBirth)
    this.gender.push(pupil.gender)
    this.address.push(pupil.address)
    this.postcode.push(pupil.postcode)
  }
}

const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n)

export interface RollImportRow {
  id: string
  source: RollSourceKind
  file_name: string
  as_at: string
  urns: string[]
  pupils: number
  joined: number
  left_roll: number
  imported_by_label: string
  imported_at: Date
}

export class RollImportService {
  readonly #db: Db
  readonly #matcher: { invalidate(): void } | undefined

  /** matcher: the roll matcher whose index a successful import makes stale (none on the command line). */
  constructor(db: Db, matcher?: { invalidate(): void }) {
    this.#db = db
    this.#matcher = matcher
  }

  #imports() {
    return this.#db.selectFrom('roll_import')
      .select(['id', 'source', 'file_name', 'urns', 'pupils', 'joined', 'left_roll', 'imported_by_label', 'imported_at'])
      .select(sql<string>`to_char(as_at, 'YYYY-MM-DD')`.as('as_at'))
  }

  /** The latest imports, newest first. */
  async recent(limit = 20): Promise<RollImportRow[]> {
    return await this.#imports().orderBy('imported_at', 'desc').orderBy('id').limit(limit).execute()
  }

  async find(id: string): Promise<RollImportRow | undefined> {
    return await this.#imports().where('id', '=', id).executeTakeFirst()
  }

  async importFile(options: RollImportOptions): Promise<RollImportResult> {
    const started = performance.now()
    const today = todayInLondon()
    const asAt = options.asAt ?? today
    if (!isIsoDate(asAt)) throw new RollImportError(`The as-at date "${asAt}" is not a real date written YYYY-MM-DD, like ${today}`)
    if (asAt > today) throw new RollImportError(`The as-at date ${asAt} is in the future; a roll is as at today (${today}) or earlier`)
    const fileName = options.fileName ?? basename(options.path)
    const kind = options.format ?? await detectFormat(options.path, fileName)
    const source = kind === 'ctf' ? ctfSource(options.path) : csvSource(options.path)
    const progress = options.onProgress ?? (() => {})

    // 1. Check the whole file; write nothing unless every row is good.
    const problems = new ImportProblems()
    const firstLine = new Map<string, number>()
    const urns = new Set<string>()
    let rows = 0
    for await (const record of source.records((line, field, problem) => problems.add(line, field, problem))) {
      rows++
      const { pupil } = checkPupil(record, source, asAt, (field, problem) => problems.add(record.line, field, problem))
      if (pupil.pupilRef && URN.test(pupil.urn)) {
        const key = `${pupil.urn}\u0000${pupil.pupilRef}`
        const earlier = firstLine.get(key)
        if (earlier === undefined) firstLine.set(key, record.line)
        else problems.add(record.line, source.labels.pupil_id, `${quoted(pupil.pupilRef)} at URN ${pupil.urn} is also on line ${earlier}: a pupil is on a setting's roll once`)
        urns.add(pupil.urn)
      }
      if (rows % 50_000 === 0) progress({ phase: 'validating', rows })
    }
    firstLine.clear()
    progress({ phase: 'validating', rows, total: rows })
    if (rows === 0 && problems.count === 0) problems.add(kind === 'csv' ? 2 : 1, 'file', 'has no pupils')
    if (problems.count > 0) {
      // a refused file is recorded too: who tried to import what, and why it was refused
      await appendAudit(this.#db, {
        actor: options.actor, action: 'roll-import', outcome: 'failure', recordType: 'roll-import', ...options.origin,
        details: { fileName, source: kind, asAt, urns: [...urns].sort().slice(0, 50), rows, problems: problems.count, reason: 'bad rows' }
      })
      return { ok: false, source: kind, fileName, problems: problems.list, problemCount: problems.count }
    }

    // 2. One transaction: stage the rows, then merge them into the settings' rolls.
    const urnList = [...urns].sort()
    const changed = (detail: string) => new RollImportError(`The file changed while it was being imported (${detail}). Nothing was imported.`)
    const refused = async (reason: string) => await appendAudit(this.#db, {
      actor: options.actor, action: 'roll-import', outcome: 'failure', recordType: 'roll-import', ...options.origin,
      details: { fileName, source: kind, asAt, urns: urnList.slice(0, 50), rows, reason }
    })
    const outcome = await this.#db.transaction().execute(async (trx) => {
      // one import at a time, so two imports of one setting cannot interleave
      await sql`select pg_advisory_xact_lock(${ROLL_IMPORT_LOCK})`.execute(trx)
      // an older roll must not replace a newer one: "left on" dates would go backwards
      const newer = (await sql<{ urn: string, as_at: string }>`select u.urn, to_char(max(i.as_at), 'YYYY-MM-DD') as as_at
        from roll_import i cross join lateral unnest(i.urns) as u(urn)
        where u.urn = any(${urnList}::text[]) group by u.urn having max(i.as_at) > ${asAt}::date order by u.urn limit 3`.execute(trx)).rows
      if (newer.length > 0) {
        throw new RollImportError(`This roll is as at ${asAt}, but Harbour already has a later roll for ${newer.map((r) => `URN ${r.urn} (as at ${r.as_at})`).join(', ')}${newer.length === 3 ? ' and perhaps others' : ''}. Nothing was imported: an older roll cannot replace a newer one.`)
      }
      const { id: importId } = await trx.insertInto('roll_import').values({
        source: kind, file_name: fileName, as_at: asAt, urns: urnList, pupils: rows, joined: 0, left_roll: 0,
        imported_by_user_id: options.actor.userId ?? null, imported_by_label: options.actor.label
      }).returning('id').executeTakeFirstOrThrow()
      await sql`create temp table roll_stage (
        pupil_ref text not null, upn text, urn text not null, first_name text not null, middle_names text not null,
        last_name text not null, date_of_birth date not null, gender text not null, address text not null, postcode text not null
      ) on commit drop`.execute(trx)

      // One batch is read while the one before is written (on PostgreSQL the two overlap).
      let written = 0
      let batch = new Batch()
      let writing: Promise<void> = Promise.resolve()
      let failure: { error: unknown } | undefined
      const settle = async () => {
        await writing
        if (failure) throw failure.error
      }
      const flush = async () => {
        await settle()
        if (batch.size === 0) return
        const b = batch
        batch = new Batch()
        writing = sql`insert into roll_stage select * from unnest(
          ${b.pupilRef}::text[], ${b.upn}::text[], ${b.urn}::text[], ${b.firstName}::text[], ${b.middleNames}::text[],
          ${b.lastName}::text[], ${b.dateOfBirth}::text[]::date[], ${b.gender}::text[], ${b.address}::text[], ${b.postcode}::text[])`.execute(trx)
          .then(() => {
            written += b.size
            progress({ phase: 'writing', rows: written, total: rows })
          }, (error: unknown) => { failure = { error } })
      }
      const fileProblem = (line: number, field: string, problem: string) => { throw changed(`line ${line}: ${field} — ${problem}`) }
      try {
        for await (const record of source.records(fileProblem)) {
          const { pupil, ok } = checkPupil(record, source, asAt, (field, problem) => fileProblem(record.line, field, problem))
          if (!ok) throw changed(`line ${record.line}`)
          if (!urns.has(pupil.urn)) throw changed(`line ${record.line}: URN ${pupil.urn} was not in it before`)
          batch.push(pupil)
          if (batch.size >= BATCH_ROWS) await flush()
        }
        await flush()
      } finally {
        // never leave a write running when the transaction ends (it rolls back after it)
        await writing
      }
      await settle()
      if (written !== rows) throw changed(`it had ${rows} pupils, now ${written}`)
      // the primary key also refuses a pupil twice, had the file changed
      await sql`alter table roll_stage add primary key (urn, pupil_ref)`.execute(trx)
      await sql`analyze roll_stage`.execute(trx)

      // A file that would take most of a setting's roll away is more likely a part of a roll (a transfer
      // file for one pupil, one year group) than a roll: it needs saying so.
      if (!options.allowShrink) {
        const shrinking = (await sql<{ urn: string, current: number, staying: number }>`
          select p.urn, count(*)::int as current,
            count(*) filter (where exists (select 1 from roll_stage s where s.urn = p.urn and s.pupil_ref = p.pupil_ref))::int as staying
          from pupil p where p.urn = any(${urnList}::text[]) and p.left_on is null
          group by p.urn having count(*) >= ${SHRINK_MINIMUM}
            and count(*) filter (where exists (select 1 from roll_stage s where s.urn = p.urn and s.pupil_ref = p.pupil_ref)) * 2 < count(*)
          order by p.urn limit 3`.execute(trx)).rows
        if (shrinking.length > 0) {
          throw new RollImportError(`This file would mark most of a setting's pupils as having left: ${shrinking.map((r) => `URN ${r.urn} would keep ${r.staying} of ${r.current}`).join(', ')}. Nothing was imported. If it really is the whole roll, import it again saying so (--allow-shrink, or the box on the upload page).`)
        }
      }

      progress({ phase: 'merging', rows, total: rows })
      // back on the roll after leaving it (they start a new spell on the roll from the as-at date)
      const [{ count: rejoined } = { count: 0 }] = (await sql<{ count: number }>`select count(*)::int as count from pupil p
        where p.left_on is not null and exists (select 1 from roll_stage s where s.urn = p.urn and s.pupil_ref = p.pupil_ref)`.execute(trx)).rows
      // still on the roll: take the file's details, and no longer "left". A pupil whose details have not
      // changed is not rewritten (a daily re-import of a council's roll rewrites only what changed), so
      // last_import_id is the import that last changed the pupil's row.
      await sql`update pupil p set upn = s.upn, first_name = s.first_name, middle_names = s.middle_names, last_name = s.last_name,
          date_of_birth = s.date_of_birth, gender = s.gender, address = s.address, postcode = s.postcode,
          on_roll_since = case when p.left_on is null then p.on_roll_since else ${asAt}::date end,
          left_on = null, last_import_id = ${importId}::uuid, updated_at = now()
        from roll_stage s
        where p.urn = s.urn and p.pupil_ref = s.pupil_ref
          and (p.left_on is not null
            or (p.upn, p.first_name, p.middle_names, p.last_name, p.date_of_birth, p.gender, p.address, p.postcode)
              is distinct from (s.upn, s.first_name, s.middle_names, s.last_name, s.date_of_birth, s.gender, s.address, s.postcode))`.execute(trx)
      const inserted = affected(await sql`insert into pupil (pupil_ref, upn, urn, first_name, middle_names, last_name, date_of_birth, gender, address, postcode, on_roll_since, last_import_id)
        select s.pupil_ref, s.upn, s.urn, s.first_name, s.middle_names, s.last_name, s.date_of_birth, s.gender, s.address, s.postcode, ${asAt}::date, ${importId}::uuid
        from roll_stage s where not exists (select 1 from pupil p where p.urn = s.urn and p.pupil_ref = s.pupil_ref)`.execute(trx))
      // on these settings' rolls until now, not in the file: left on the as-at date, still findable
      const left = affected(await sql`update pupil p set left_on = ${asAt}::date, last_import_id = ${importId}::uuid, updated_at = now()
        where p.urn = any(${urnList}::text[]) and p.left_on is null
          and not exists (select 1 from roll_stage s where s.urn = p.urn and s.pupil_ref = p.pupil_ref)`.execute(trx))

      const joined = inserted + rejoined
      await trx.updateTable('roll_import').set({ joined, left_roll: left }).where('id', '=', importId).execute()
      await appendAudit(trx, {
        actor: options.actor, action: 'roll-import', recordType: 'roll-import', recordId: importId,
        ip: options.origin?.ip, requestId: options.origin?.requestId,
        details: { source: kind, fileName, asAt, settings: urnList.length, pupils: rows, joined, left }
      })
      return { importId, joined, left }
    }).catch(async (error: unknown) => {
      if (error instanceof RollImportError) await refused(error.message)
      throw error
    })
    this.#matcher?.invalidate()
    return {
      ok: true, importId: outcome.importId, source: kind, fileName, asAt, urns: urnList,
      pupils: rows, joined: outcome.joined, left: outcome.left, seconds: (performance.now() - started) / 1000
    }
  }
}
