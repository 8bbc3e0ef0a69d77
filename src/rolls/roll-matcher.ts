// Finding children on registers of children held in Harbour's database: the school rolls (every pupil,
// current and those who left, so a child who left is still findable), and the council's home education
// register. Each register's index is built on first use and again after an import (by this process at
// once; by another within CHECK_MS: a look checks the latest import, one small query, at most that often,
// and an incident's children share one look).
import type { Db } from '../platform/db/database.ts'
import { prepare } from '../linkage/normalise.ts'
import type { PersonRecord } from '../linkage/normalise.ts'
import { RollIndex } from '../linkage/roll-index.ts'
import { DEFAULT_THRESHOLDS, matchChild } from '../linkage/match.ts'
import type { MatchResult, Thresholds } from '../linkage/match.ts'
import type { LinkageModel } from '../linkage/model.ts'
import { defaultModel } from './link-files.ts'

/** How long one check of a register's latest import serves: another process's import is seen within this. */
const CHECK_MS = 1000

export interface RollPupil {
  id: string
  urn: string
  pupilRef: string
  /** YYYY-MM-DD */
  leftOn: string | null
}

/** A child matched against a register, with the register's entry for each candidate (in the candidates' order). */
export type RegisterMatch<T> = MatchResult & { pupils: Array<T | undefined> }

/** Where a register's people come from: each person with what the register says of them, and the version of the register (its latest import). */
export interface RegisterSource<T> {
  load(db: Db): Promise<Array<{ person: PersonRecord, entry: T }>>
  version(db: Db): Promise<string>
}

/** One register's index, kept while the register is unchanged. */
export class RegisterMatcher<T> {
  readonly #db: Db
  readonly #source: RegisterSource<T>
  readonly #model: LinkageModel
  readonly #thresholds: Thresholds
  #index: Promise<{ index: RollIndex, entries: T[] }> | undefined
  #builtFor = ''
  #checked: { at: number, latest: Promise<string> } | undefined

  constructor(db: Db, source: RegisterSource<T>, model: LinkageModel = defaultModel(), thresholds: Thresholds = DEFAULT_THRESHOLDS) {
    this.#db = db
    this.#source = source
    this.#model = model
    this.#thresholds = thresholds
  }

  /** Call after the register changes; the next match rebuilds the index. */
  invalidate(): void {
    this.#index = undefined
    this.#checked = undefined
  }

  /** Builds the index now (at start-up, in the background) so the first incident does not wait for it. */
  async warm(): Promise<void> {
    await this.#current()
  }

  /** The linkage model the matcher scores with (for explaining a stored comparison). */
  get model(): LinkageModel {
    return this.#model
  }

  async #build() {
    const rows = await this.#source.load(this.#db)
    return { index: new RollIndex(rows.map((row) => prepare(row.person))), entries: rows.map((row) => row.entry) }
  }

  /** The latest import, checked at most once every CHECK_MS (concurrent looks share one check). */
  async #checkedVersion(): Promise<string> {
    const now = performance.now()
    if (!this.#checked || now - this.#checked.at >= CHECK_MS) {
      const entry = { at: now, latest: this.#source.version(this.#db) }
      this.#checked = entry
      entry.latest.catch(() => {
        if (this.#checked === entry) this.#checked = undefined
      })
    }
    return await this.#checked.latest
  }

  async #current() {
    const latest = await this.#checkedVersion()
    if (latest !== this.#builtFor) {
      this.#index = undefined
      this.#builtFor = latest
    }
    this.#index ??= this.#build().catch((error: unknown) => {
      this.#index = undefined
      throw error
    })
    return await this.#index
  }

  /** One look at the register for several children (an incident's): a function matching each against the same index. */
  async matcher(): Promise<(child: PersonRecord) => RegisterMatch<T>> {
    const { index, entries } = await this.#current()
    return (child) => {
      const result = matchChild(index, this.#model, prepare(child), this.#thresholds)
      return { ...result, pupils: result.candidates.map((c) => entries[c.recordId]) }
    }
  }

  async match(child: PersonRecord): Promise<RegisterMatch<T>> {
    return (await this.matcher())(child)
  }
}

/** A register's version: its latest import (a new import, here or in another process, is a new version). */
export async function latestImportVersion(db: Db, table: 'roll_import' | 'home_education_import'): Promise<string> {
  const row = await db.selectFrom(table).select(['id', 'imported_at']).orderBy('imported_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
  return row ? `${row.id}@${row.imported_at.toISOString()}` : ''
}

/** The school rolls: every pupil in Harbour, found by name, date of birth, gender and address. */
export const ROLLS: RegisterSource<RollPupil> = {
  async load(db) {
    const rows = await db.selectFrom('pupil')
      .select(['id', 'urn', 'pupil_ref', 'first_name', 'middle_names', 'last_name', 'date_of_birth', 'gender', 'address', 'postcode', 'left_on'])
      .orderBy('id').execute()
    return rows.map((row) => ({
      person: {
        id: row.id, firstName: row.first_name, middleNames: row.middle_names, lastName: row.last_name,
        dateOfBirth: row.date_of_birth ?? '', gender: row.gender, address: row.address, postcode: row.postcode
      },
      entry: { id: row.id, urn: row.urn, pupilRef: row.pupil_ref, leftOn: row.left_on }
    }))
  },
  version: (db) => latestImportVersion(db, 'roll_import')
}

export class RollMatcher extends RegisterMatcher<RollPupil> {
  constructor(db: Db, model?: LinkageModel, thresholds?: Thresholds) {
    super(db, ROLLS, model, thresholds)
  }
}
