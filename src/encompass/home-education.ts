// The council's register of children educated at home (elective home education, EHE). The council
// imports it whole from its own records (a CSV: each import replaces the register, all or nothing, each
// problem named by line and column); the intake looks each school-age child up on it, with the same
// linkage as the rolls, and a child found on it is routed to the council's home education officer
// rather than to a school.
import { basename } from 'node:path'
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { readCsvFile } from '../platform/csv.ts'
import { ImportProblems, quoted } from '../platform/import-problems.ts'
import type { ImportRefusal } from '../platform/import-problems.ts'
import { isIsoDate, todayInLondon } from '../platform/time/dates.ts'
import { RegisterMatcher, latestImportVersion } from '../rolls/roll-matcher.ts'
import type { RegisterSource } from '../rolls/roll-matcher.ts'
import type { PersonRecord } from '../linkage/normalise.ts'
import { councilOrganisationId } from './notifications.ts'
import { GENDERS } from '../linkage/normalise.ts'

/** The register's columns, in the order of the template. */
export const HOME_EDUCATION_COLUMNS = ['register_ref', 'first_name', 'middle_names', 'last_name', 'date_of_birth', 'gender', 'address', 'postcode', 'registered_on'] as const
type Column = (typeof HOME_EDUCATION_COLUMNS)[number]
const REQUIRED: Column[] = ['register_ref', 'first_name', 'last_name', 'date_of_birth']

export interface HomeEducatedChild { id: string, registerRef: string }

export interface HomeEducationImportSuccess { ok: true, fileName: string, children: number, before: number }
export type HomeEducationImportResult = HomeEducationImportSuccess | ImportRefusal

/** The register for matching: every child on it, found by name, date of birth, gender and address. */
const REGISTER: RegisterSource<HomeEducatedChild> = {
  async load(db) {
    const rows = await db.selectFrom('home_education_child')
      .select(['id', 'register_ref', 'first_name', 'middle_names', 'last_name', 'date_of_birth', 'gender', 'address', 'postcode'])
      .orderBy('id').execute()
    return rows.map((row) => ({
      person: {
        id: row.id, firstName: row.first_name, middleNames: row.middle_names, lastName: row.last_name,
        dateOfBirth: row.date_of_birth, gender: row.gender, address: row.address, postcode: row.postcode
      },
      entry: { id: row.id, registerRef: row.register_ref }
    }))
  },
  version: (db) => latestImportVersion(db, 'home_education_import')
}

export class HomeEducationRegister extends RegisterMatcher<HomeEducatedChild> {
  constructor(db: Db) {
    super(db, REGISTER)
  }

  /**
   * One look at the register for an incident's children: whether each is on it. Only a sure match
   * counts (the automatic band, with the rolls' guards for twins and siblings); a child Harbour is not
   * sure of is looked for on the rolls as usual.
   */
  async isHomeEducated(): Promise<(child: PersonRecord) => boolean> {
    const match = await this.matcher()
    return (child) => match(child).band === 'auto'
  }
}

/**
 * Replaces a council's register with the children in a CSV file (HOME_EDUCATION_COLUMNS, a header row
 * first, UTF-8), all or nothing. The council is the one that receives Operation Encompass children with no
 * setting unless another is given. Audited with the counts, never the children. `register` is this
 * process's index of it, to rebuild.
 */
export async function importHomeEducationRegister(db: Db, options: { path: string, actor: Actor, councilOrganisationId?: string | undefined, today?: string, register?: { invalidate(): void } }): Promise<HomeEducationImportResult> {
  const fileName = basename(options.path)
  const today = options.today ?? todayInLondon()
  const problems = new ImportProblems()
  const children: Array<Record<Column, string>> = []
  const seen = new Map<string, number>()
  let positions: Map<Column, number> | undefined
  for await (const row of readCsvFile(options.path)) {
    if (!positions) {
      const at = new Map(row.values.map((name, i) => [name.trim().toLowerCase(), i]))
      const missing = HOME_EDUCATION_COLUMNS.filter((column) => !at.has(column) && REQUIRED.includes(column))
      if (missing.length > 0) {
        problems.add(row.line, 'header', `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: the header names the columns ${HOME_EDUCATION_COLUMNS.join(', ')}`)
        break
      }
      positions = new Map(HOME_EDUCATION_COLUMNS.flatMap((column) => (at.has(column) ? [[column, at.get(column)!] as const] : [])))
      continue
    }
    if (row.values.every((value) => value.trim() === '')) continue
    const value = (column: Column) => (positions!.has(column) ? (row.values[positions!.get(column)!] ?? '').trim() : '')
    const child = Object.fromEntries(HOME_EDUCATION_COLUMNS.map((column) => [column, value(column)])) as Record<Column, string>
    child.gender = child.gender.toUpperCase()
    const report = (column: Column, problem: string) => problems.add(row.line, column, problem)
    for (const column of REQUIRED) if (child[column] === '') report(column, 'is required')
    if (child.date_of_birth !== '') {
      if (!isIsoDate(child.date_of_birth)) report('date_of_birth', `${quoted(child.date_of_birth)} is not a date: write it as YYYY-MM-DD`)
      else if (child.date_of_birth > today) report('date_of_birth', `${child.date_of_birth} is in the future`)
    }
    if (child.registered_on !== '' && !isIsoDate(child.registered_on)) report('registered_on', `${quoted(child.registered_on)} is not a date: write it as YYYY-MM-DD, or leave it empty`)
    if (!GENDERS.has(child.gender)) report('gender', `${quoted(child.gender)} is not F, M, X or empty`)
    if (child.register_ref !== '') {
      const earlier = seen.get(child.register_ref)
      if (earlier !== undefined) report('register_ref', `${quoted(child.register_ref)} is also on line ${earlier}: each child is on the register once`)
      else seen.set(child.register_ref, row.line)
    }
    children.push(child)
  }
  if (!positions && problems.count === 0) problems.add(1, 'file', 'is empty: it needs a header row naming the columns')
  const councilId = options.councilOrganisationId ?? await councilOrganisationId(db)
  const details = { fileName, rows: children.length }
  if (problems.count > 0) {
    await appendAudit(db, { actor: options.actor, action: 'home-education-import', outcome: 'failure', recordType: 'organisation', recordId: councilId, details: { ...details, problems: problems.count } })
    return { ok: false, fileName, problems: problems.list, problemCount: problems.count }
  }
  const imported = await db.transaction().execute(async (trx) => {
    const before = Number((await trx.deleteFrom('home_education_child').where('council_organisation_id', '=', councilId).executeTakeFirst()).numDeletedRows)
    for (let at = 0; at < children.length; at += 1000) {
      await trx.insertInto('home_education_child').values(children.slice(at, at + 1000).map((child) => ({
        council_organisation_id: councilId, register_ref: child.register_ref, first_name: child.first_name, middle_names: child.middle_names,
        last_name: child.last_name, date_of_birth: child.date_of_birth, gender: child.gender as 'F' | 'M' | 'X' | '', address: child.address,
        postcode: child.postcode, registered_on: child.registered_on || null
      }))).execute()
    }
    await trx.insertInto('home_education_import').values({ council_organisation_id: councilId, file_name: fileName, children: children.length, imported_by_label: options.actor.label }).execute()
    await appendAudit(trx, { actor: options.actor, action: 'home-education-import', recordType: 'organisation', recordId: councilId, details: { ...details, before } })
    return { ok: true as const, fileName, children: children.length, before }
  })
  // this process matches against the new register at once (another process within a second)
  options.register?.invalidate()
  return imported
}
