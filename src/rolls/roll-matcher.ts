// Finding children on the rolls held in Harbour's database. The index over every pupil (current, and
// those who left, so a child who left is still findable) is built on first use and again after an import
// (by this process, or another: each look at the rolls checks the latest import, one small query; an
// incident's children share one look).
import type { Db } from '../platform/db/database.ts'
import { prepare } from '../linkage/normalise.ts'
import type { PersonRecord } from '../linkage/normalise.ts'
import { RollIndex } from '../linkage/roll-index.ts'
import { DEFAULT_THRESHOLDS, matchChild } from '../linkage/match.ts'
import type { MatchResult, Thresholds } from '../linkage/match.ts'
import type { LinkageModel } from '../linkage/model.ts'
import { defaultModel } from './link-files.ts'

export interface RollPupil {
  id: string
  urn: string
  pupilRef: string
  /** YYYY-MM-DD */
  leftOn: string | null
}

export class RollMatcher {
  readonly #db: Db
  readonly #model: LinkageModel
  readonly #thresholds: Thresholds
  #index: Promise<{ index: RollIndex, pupils: RollPupil[] }> | undefined
  #builtFor = ''

  constructor(db: Db, model: LinkageModel = defaultModel(), thresholds: Thresholds = DEFAULT_THRESHOLDS) {
    this.#db = db
    this.#model = model
    this.#thresholds = thresholds
  }

  /** Call after the rolls change; the next match rebuilds the index. */
  invalidate(): void {
    this.#index = undefined
  }

  /** Builds the index now (at start-up, in the background) so the first incident does not wait for it. */
  async warm(): Promise<void> {
    await this.#current()
  }

  async #build() {
    const rows = await this.#db.selectFrom('pupil')
      .select(['id', 'urn', 'pupil_ref', 'first_name', 'middle_names', 'last_name', 'date_of_birth', 'gender', 'address', 'postcode', 'left_on'])
      .orderBy('id').execute()
    const pupils: RollPupil[] = rows.map((row) => ({ id: row.id, urn: row.urn, pupilRef: row.pupil_ref, leftOn: row.left_on }))
    const index = new RollIndex(rows.map((row) => prepare({
      id: row.id, firstName: row.first_name, middleNames: row.middle_names, lastName: row.last_name,
      dateOfBirth: row.date_of_birth ?? '', gender: row.gender, address: row.address, postcode: row.postcode
    })))
    return { index, pupils }
  }

  async #latestImport(): Promise<string> {
    const row = await this.#db.selectFrom('roll_import').select(['id', 'imported_at']).orderBy('imported_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
    return row ? `${row.id}@${row.imported_at.toISOString()}` : ''
  }

  async #current() {
    const latest = await this.#latestImport()
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

  /** The linkage model the matcher scores with (for explaining a stored comparison). */
  get model(): LinkageModel {
    return this.#model
  }

  /** One look at the rolls for several children (an incident's): a function matching each against the same index. */
  async matcher(): Promise<(child: PersonRecord) => MatchResult & { pupils: Array<RollPupil | undefined> }> {
    const { index, pupils } = await this.#current()
    return (child) => {
      const result = matchChild(index, this.#model, prepare(child), this.#thresholds)
      return { ...result, pupils: result.candidates.map((c) => pupils[c.recordId]) }
    }
  }

  async match(child: PersonRecord): Promise<MatchResult & { pupils: Array<RollPupil | undefined> }> {
    const { index, pupils } = await this.#current()
    const result = matchChild(index, this.#model, prepare(child), this.#thresholds)
    return { ...result, pupils: result.candidates.map((c) => pupils[c.recordId]) }
  }
}
