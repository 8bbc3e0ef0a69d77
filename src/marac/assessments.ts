// Risk assessments: queries and the service around them. An assessment belongs to the assessor's
// organisation and is versioned: starting it, every save of its answers and its completion each add a
// version holding the whole state at that moment (who saved it and when); versions are never changed.
// Grading is gradeAssessment's (pure): the count of Yes, or the assessor's grade on a graded tool, then
// professional judgement that may raise the grade with reasons and never lower it. Each create, save,
// completion and view is audited (record type 'risk-assessment').
import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import type { Scope } from '../platform/access/roles.ts'
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { INSTRUMENTS, InstrumentConfigError, configureInstrument, instrumentById, isRiskGrade } from './instruments.ts'
import type { ChecklistInstrument, Instrument, RiskGrade, Thresholds } from './instruments.ts'
import { gradeAssessment } from './grading.ts'
import type { GradedAssessment } from './grading.ts'
import type { FieldError } from '../platform/validation.ts'
import { LOCKS } from '../platform/db/locks.ts'

export const RECORD_TYPE = 'risk-assessment'

export interface Origin { ip?: string | undefined, requestId?: string | undefined }

export interface AssessmentChild { name: string, dateOfBirth: string }

export interface Judgement { grade: RiskGrade, reasons: string, raised: boolean }

/** What a version holds: the whole state of the assessment when it was saved. */
export interface AssessmentState {
  victimName: string
  victimDateOfBirth: string
  /** item id to 'yes', 'no' or 'dont-know'; a draft may leave items unanswered */
  answers: Record<string, string>
  /** a graded tool's grade, chosen by the assessor */
  assessorGrade: RiskGrade | null
  judgement: Judgement | null
  children: AssessmentChild[]
}

export interface Assessment {
  id: string
  organisationId: string
  organisationName: string
  instrument: Instrument
  status: 'draft' | 'complete'
  version: number
  grade: RiskGrade | null
  createdAt: Date
  updatedAt: Date
  completedAt: Date | null
  /** the latest version's state, who saved it and when */
  state: AssessmentState
  savedByLabel: string
  savedAt: Date
  /** the latest version's scored grade and count of Yes, once every item is answered */
  scoredGrade: RiskGrade | null
  yesCount: number | null
}

export class AssessmentNotFoundError extends Error {}
/** A completed assessment is a record: it is not changed; a new assessment is started instead. */
export class AssessmentCompleteError extends Error {}

/**
 * The instrument an assessment uses, with threshold overrides applied and checked (none given: the
 * defaults stand). Undefined for an id Harbour does not know.
 */
export function assessmentInstrument(id: string, overrides: Partial<Thresholds> = {}): Instrument | undefined {
  const instrument = instrumentById(id)
  return instrument ? configureInstrument(instrument, overrides) : undefined
}

// ---- the partnership's thresholds: configuration, in the setting table, never global state

/** The setting holding the partnership's threshold overrides: { "<instrument id>": { "medium": n, "high": n } }. */
export const THRESHOLDS_SETTING = 'risk-thresholds'

/** A stored threshold setting that cannot be used: the message names the instrument and the field. */
export class ThresholdSettingError extends Error {
  override name = 'ThresholdSettingError'
}

export type ThresholdOverrides = Record<string, Partial<Thresholds>>

/** Checks a threshold setting's value: each key an instrument, each value medium and/or high, applied and checked by configureInstrument. */
export function checkThresholdOverrides(value: unknown): ThresholdOverrides {
  const where = `Setting ${THRESHOLDS_SETTING}`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ThresholdSettingError(`${where}: must be a JSON object of instrument ids, like { "partner-checklist": { "medium": 10, "high": 14 } }`)
  const overrides: ThresholdOverrides = {}
  for (const [id, given] of Object.entries(value as Record<string, unknown>)) {
    const instrument = instrumentById(id)
    if (!instrument) throw new ThresholdSettingError(`${where}: "${id}" is not an instrument Harbour knows (${INSTRUMENTS.map((i) => i.id).join(', ')})`)
    if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new ThresholdSettingError(`${where}: instrument ${id}: must be an object with medium and/or high`)
    const unknown = Object.keys(given).filter((key) => key !== 'medium' && key !== 'high')
    if (unknown.length > 0) throw new ThresholdSettingError(`${where}: instrument ${id}: ${unknown.map((key) => `thresholds.${key}`).join(', ')}: not a threshold (only medium and high are)`)
    const thresholds = given as Partial<Record<keyof Thresholds, unknown>>
    const wrong = (['medium', 'high'] as const).filter((key) => thresholds[key] !== undefined && typeof thresholds[key] !== 'number')
    if (wrong.length > 0) throw new ThresholdSettingError(`${where}: instrument ${id}: ${wrong.map((key) => `thresholds.${key}: must be a whole number of Yes answers, not ${JSON.stringify(thresholds[key])}`).join('; ')}`)
    const checked = given as Partial<Thresholds>
    try {
      configureInstrument(instrument, checked)
    } catch (error) {
      if (error instanceof InstrumentConfigError) throw new ThresholdSettingError(`${where}: ${error.message}`)
      throw error
    }
    overrides[id] = checked
  }
  return overrides
}

/** The partnership's stored threshold overrides, checked (ThresholdSettingError for a bad stored value). */
export async function thresholdOverrides(db: Db): Promise<ThresholdOverrides> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', THRESHOLDS_SETTING).executeTakeFirst()
  return row ? checkThresholdOverrides(row.value) : {}
}

/** The instrument an assessment uses, with the partnership's stored thresholds. */
export async function configuredInstrument(db: Db, id: string): Promise<Instrument | undefined> {
  if (!instrumentById(id)) return undefined
  return assessmentInstrument(id, (await thresholdOverrides(db))[id] ?? {})
}

/**
 * Sets an instrument's thresholds (medium and/or high; what is not given stays as stored or the
 * default), checked, stored and audited. ThresholdSettingError when they cannot be used.
 */
export async function setThresholds(db: Db, input: { instrumentId: string, medium?: number | undefined, high?: number | undefined, actor: Actor, origin?: Origin }): Promise<{ from: Thresholds, to: Thresholds }> {
  const instrument = instrumentById(input.instrumentId)
  if (!instrument) throw new ThresholdSettingError(`"${input.instrumentId}" is not an instrument Harbour knows: use one of ${INSTRUMENTS.map((i) => i.id).join(', ')}`)
  if (instrument.scoring !== 'count-of-yes') throw new ThresholdSettingError(`Instrument ${instrument.id}: this tool has no tick threshold (the assessor chooses the grade), so it takes no thresholds`)
  if (input.medium === undefined && input.high === undefined) throw new ThresholdSettingError('Give --medium and/or --high: the count of Yes answers at which each grade starts')
  return await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${THRESHOLDS_LOCK})`.execute(trx)
    const stored = await thresholdOverrides(trx)
    const before = configureInstrument(instrument, stored[instrument.id] ?? {}) as ChecklistInstrument
    const change: Partial<Thresholds> = { ...stored[instrument.id], ...(input.medium !== undefined ? { medium: input.medium } : {}), ...(input.high !== undefined ? { high: input.high } : {}) }
    const next = checkThresholdOverrides({ ...stored, [instrument.id]: change })
    const after = configureInstrument(instrument, next[instrument.id] ?? {}) as ChecklistInstrument
    await trx.insertInto('setting').values({ key: THRESHOLDS_SETTING, value: JSON.stringify(next) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: new Date() })).execute()
    await appendAudit(trx, {
      actor: input.actor, action: 'risk-thresholds-change', recordType: 'setting', recordId: THRESHOLDS_SETTING, ...input.origin,
      details: { instrument: instrument.id, from: before.thresholds, to: after.thresholds }
    })
    return { from: before.thresholds, to: after.thresholds }
  })
}

const THRESHOLDS_LOCK = LOCKS.riskThresholds

/** The grade the answers give so far (undefined while an item is unanswered or a graded tool has no grade yet). */
export function scoredSoFar(instrument: Instrument, state: AssessmentState): GradedAssessment | undefined {
  const outcome = gradeAssessment(instrument, { answers: state.answers, ...(instrument.scoring === 'assessor-grade' && state.assessorGrade ? { assessorGrade: state.assessorGrade } : {}) })
  return outcome.ok ? outcome.assessment : undefined
}

/** Every item about children answered Yes: the assessment then lists the children it concerns. */
export function concernsChildren(instrument: Instrument, answers: Readonly<Record<string, string>>): boolean {
  return instrument.items.some((item) => item.aboutChildren && answers[item.id] === 'yes')
}

interface VersionColumns {
  answers: string
  assessor_grade: RiskGrade | null
  scored_grade: RiskGrade | null
  grade: RiskGrade | null
  yes_count: number | null
  judgement: string | null
  children: string
}

function versionColumns(instrument: Instrument, state: AssessmentState, graded?: GradedAssessment): VersionColumns {
  const scored = graded ?? scoredSoFar(instrument, state)
  const judgement = state.judgement
  const grade = scored ? (judgement?.raised ? judgement.grade : scored.scoredGrade) : null
  return {
    answers: JSON.stringify(state.answers),
    assessor_grade: instrument.scoring === 'assessor-grade' ? state.assessorGrade : null,
    scored_grade: scored?.scoredGrade ?? null,
    grade,
    yes_count: scored?.yesCount ?? null,
    judgement: judgement ? JSON.stringify(judgement) : null,
    children: JSON.stringify(state.children)
  }
}

export interface StartInput {
  organisationId: string
  userId?: string | undefined
  victimName: string
  victimDateOfBirth: string
  instrumentId: string
}

/** Starts a draft (version 1) and audits it; the caller has checked the input (see assessment-form.ts). */
export async function startAssessment(db: Db, input: StartInput, actor: Actor, origin: Origin = {}): Promise<string> {
  const instrument = await configuredInstrument(db, input.instrumentId)
  if (!instrument) throw new Error(`No such instrument: ${input.instrumentId}`)
  return await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('risk_assessment').values({
      organisation_id: input.organisationId, created_by_user_id: input.userId ?? null,
      victim_name: input.victimName, victim_date_of_birth: input.victimDateOfBirth,
      instrument_id: instrument.id, instrument_version: instrument.version, grade: null, completed_at: null
    }).returning('id').executeTakeFirstOrThrow()
    const state: AssessmentState = { victimName: input.victimName, victimDateOfBirth: input.victimDateOfBirth, answers: {}, assessorGrade: null, judgement: null, children: [] }
    await trx.insertInto('risk_assessment_version').values({
      assessment_id: row.id, version: 1, kind: 'start', victim_name: input.victimName, victim_date_of_birth: input.victimDateOfBirth,
      ...versionColumns(instrument, state), saved_by_user_id: actor.userId ?? null, saved_by_label: actor.label
    }).execute()
    await appendAudit(trx, {
      actor, action: 'risk-assessment-create', recordType: RECORD_TYPE, recordId: row.id, ...origin,
      details: { instrument: instrument.id, instrumentVersion: instrument.version, version: 1 }
    })
    return row.id
  })
}

/**
 * Whose assessments a person may see or work on, from the scope of their grant: 'own', those they
 * started; 'team', those started by anyone in their team (with no team, their own); 'organisation',
 * their organisation's; 'partnership', all.
 */
export type AssessmentLimit =
  | { scope: 'partnership' }
  | { scope: 'organisation', organisationId: string }
  | { scope: 'team', organisationId: string, teamId: string }
  | { scope: 'own', userId: string }

/** The limit a grant's scope sets for a person (no grant: their own only). */
export function assessmentLimit(user: { id: string, organisationId: string, teamId: string | null }, scope: Scope | undefined): AssessmentLimit {
  if (scope === 'partnership') return { scope: 'partnership' }
  if (scope === 'organisation') return { scope: 'organisation', organisationId: user.organisationId }
  if (scope === 'team' && user.teamId) return { scope: 'team', organisationId: user.organisationId, teamId: user.teamId }
  return { scope: 'own', userId: user.id }
}

/** An organisation id (the older form) or a limit; undefined is no limit. */
type LimitTo = string | AssessmentLimit | undefined

/** The condition on risk_assessment (as a) a limit sets, or undefined for none. */
function limitCondition(limitTo: LimitTo): RawBuilder<boolean> | undefined {
  const limit: AssessmentLimit | undefined = typeof limitTo === 'string' ? { scope: 'organisation', organisationId: limitTo } : limitTo
  if (!limit || limit.scope === 'partnership') return undefined
  if (limit.scope === 'organisation') return sql<boolean>`a.organisation_id = ${limit.organisationId}`
  if (limit.scope === 'own') return sql<boolean>`a.created_by_user_id = ${limit.userId}`
  return sql<boolean>`(a.organisation_id = ${limit.organisationId} and a.created_by_user_id in (select u.id from app_user u where u.team_id = ${limit.teamId}))`
}

/** The assessment with its latest version, or undefined if there is none, or it is outside `limitTo` (an organisation id, or a limit). */
export async function findAssessment(db: Db, id: string, limitTo?: LimitTo): Promise<Assessment | undefined> {
  let query = db.selectFrom('risk_assessment as a')
    .innerJoin('risk_assessment_version as v', (join) => join.onRef('v.assessment_id', '=', 'a.id').onRef('v.version', '=', 'a.current_version'))
    .innerJoin('organisation as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id', 'a.organisation_id', 'o.name as organisation_name', 'a.instrument_id', 'a.status', 'a.current_version', 'a.grade',
      'a.created_at', 'a.updated_at', 'a.completed_at', 'v.victim_name', 'v.victim_date_of_birth', 'v.answers', 'v.assessor_grade',
      'v.judgement', 'v.children', 'v.saved_by_label', 'v.saved_at', 'v.scored_grade', 'v.yes_count'
    ])
    .where('a.id', '=', id)
  const condition = limitCondition(limitTo)
  if (condition) query = query.where(condition)
  const row = await query.executeTakeFirst()
  if (!row) return undefined
  const instrument = await configuredInstrument(db, row.instrument_id)
  if (!instrument) throw new Error(`Assessment ${row.id} uses an instrument Harbour does not know: ${row.instrument_id}`)
  const judgement = row.judgement && isRiskGrade(row.judgement.grade) ? { grade: row.judgement.grade, reasons: row.judgement.reasons, raised: row.judgement.raised } : null
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    instrument,
    status: row.status,
    version: row.current_version,
    grade: row.grade,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    state: {
      victimName: row.victim_name,
      victimDateOfBirth: row.victim_date_of_birth,
      answers: row.answers,
      assessorGrade: row.assessor_grade,
      judgement,
      children: row.children
    },
    savedByLabel: row.saved_by_label,
    savedAt: row.saved_at,
    scoredGrade: row.scored_grade,
    yesCount: row.yes_count
  }
}

/** Adds a version in a transaction, after checking the assessment is still a draft; returns its number. */
async function addVersion(trx: Db, id: string, kind: 'save' | 'complete', build: (current: Assessment) => { state: AssessmentState, graded?: GradedAssessment }, actor: Actor): Promise<{ version: number, current: Assessment, state: AssessmentState }> {
  // lock the assessment row, so two saves at once take consecutive numbers and neither is lost
  const locked = await trx.selectFrom('risk_assessment').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!locked) throw new AssessmentNotFoundError(`No risk assessment ${id}`)
  if (locked.status === 'complete') throw new AssessmentCompleteError('This assessment is complete and cannot be changed. Start a new assessment to record a change in risk.')
  const current = await findAssessment(trx, id)
  if (!current) throw new AssessmentNotFoundError(`No risk assessment ${id}`)
  const { state, graded } = build(current)
  const version = current.version + 1
  const columns = versionColumns(current.instrument, state, graded)
  await trx.insertInto('risk_assessment_version').values({
    assessment_id: id, version, kind, victim_name: state.victimName, victim_date_of_birth: state.victimDateOfBirth,
    ...columns, saved_by_user_id: actor.userId ?? null, saved_by_label: actor.label
  }).execute()
  await trx.updateTable('risk_assessment').set({
    current_version: version, updated_at: sql<Date>`now()`, victim_name: state.victimName, victim_date_of_birth: state.victimDateOfBirth,
    ...(kind === 'complete' ? { status: 'complete' as const, grade: columns.grade, completed_at: sql<Date>`now()` } : {})
  }).where('id', '=', id).execute()
  return { version, current, state }
}

/**
 * Saves a change to a draft as a new version (what is not given stays as it was) and audits it.
 * Answers are merged over the saved ones. Throws AssessmentCompleteError for a completed assessment.
 */
export async function saveAssessment(db: Db, id: string, change: Partial<AssessmentState>, actor: Actor, origin: Origin = {}, page?: string): Promise<number> {
  return await db.transaction().execute(async (trx) => {
    const { version } = await addVersion(trx, id, 'save', (current) => ({
      state: { ...current.state, ...change, answers: { ...current.state.answers, ...change.answers } }
    }), actor)
    await appendAudit(trx, {
      actor, action: 'risk-assessment-save', recordType: RECORD_TYPE, recordId: id, ...origin,
      details: { version, ...(page ? { page } : {}), changed: Object.keys(change).sort() }
    })
    return version
  })
}

/** Problems that stop completion, by field: gradeAssessment's, and no child listed when an item about children is Yes. */
export function completionProblems(instrument: Instrument, state: AssessmentState): { graded?: GradedAssessment, errors: FieldError[] } {
  const outcome = gradeAssessment(instrument, {
    answers: state.answers,
    ...(instrument.scoring === 'assessor-grade' ? { assessorGrade: state.assessorGrade ?? '' } : {}),
    ...(state.judgement ? { judgement: { grade: state.judgement.grade, reasons: state.judgement.reasons } } : {})
  })
  const errors = outcome.ok ? [] : [...outcome.errors]
  if (concernsChildren(instrument, state.answers) && state.children.length === 0) {
    errors.push({ field: 'children', message: 'are not listed: an item about children is answered Yes, so name each child the assessment concerns' })
  }
  return outcome.ok ? { graded: outcome.assessment, errors } : { errors }
}

export type CompletionOutcome = { ok: true, version: number, graded: GradedAssessment } | { ok: false, errors: FieldError[] }

/** Grades and completes a draft (a new version, kind 'complete'), audited; or the problems, by field. */
export async function completeAssessment(db: Db, id: string, actor: Actor, origin: Origin = {}): Promise<CompletionOutcome> {
  return await db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('risk_assessment').select('status').where('id', '=', id).forUpdate().executeTakeFirst()
    if (!locked) throw new AssessmentNotFoundError(`No risk assessment ${id}`)
    if (locked.status === 'complete') throw new AssessmentCompleteError('This assessment is already complete.')
    const current = await findAssessment(trx, id)
    if (!current) throw new AssessmentNotFoundError(`No risk assessment ${id}`)
    const checked = completionProblems(current.instrument, current.state)
    if (checked.errors.length > 0 || !checked.graded) return { ok: false as const, errors: checked.errors }
    const stands = checked.graded
    const { version } = await addVersion(trx, id, 'complete', (latest) => ({
      state: { ...latest.state, judgement: stands.judgement ?? null, children: stands.concernsChildren ? latest.state.children : [] },
      graded: stands
    }), actor)
    await appendAudit(trx, {
      actor, action: 'risk-assessment-complete', recordType: RECORD_TYPE, recordId: id, ...origin,
      details: {
        version, instrument: current.instrument.id, grade: stands.grade, scoredGrade: stands.scoredGrade, yesCount: stands.yesCount,
        judgementRaised: stands.judgement?.raised ?? false, childrenListed: stands.concernsChildren ? current.state.children.length : 0
      }
    })
    return { ok: true as const, version, graded: stands }
  })
}

/** Records that someone was shown an assessment (which page of it). */
export async function recordAssessmentView(db: Db, id: string, actor: Actor, origin: Origin, page: string): Promise<void> {
  await appendAudit(db, { actor, action: 'risk-assessment-view', recordType: RECORD_TYPE, recordId: id, ...origin, details: { page } })
}

export interface AssessmentListRow {
  id: string
  victimName: string
  victimDateOfBirth: string
  instrumentId: string
  instrumentName: string
  status: 'draft' | 'complete'
  grade: RiskGrade | null
  updatedAt: Date
  completedAt: Date | null
  organisationName: string
}

export const LIST_PAGE_SIZE = 25

/** Assessments, latest first, within a limit (an organisation id, or whose: see AssessmentLimit; none: the whole partnership's); drafts or completed ones. */
export async function listAssessments(db: Db, options: { limitTo: LimitTo, status: 'draft' | 'complete', page?: number }): Promise<{ rows: AssessmentListRow[], total: number }> {
  let base = db.selectFrom('risk_assessment as a').where('a.status', '=', options.status)
  const condition = limitCondition(options.limitTo)
  if (condition) base = base.where(condition)
  const page = options.page ?? 1
  const [rows, count] = await Promise.all([
    base.innerJoin('organisation as o', 'o.id', 'a.organisation_id')
      .select(['a.id', 'a.victim_name', 'a.victim_date_of_birth', 'a.instrument_id', 'a.status', 'a.grade', 'a.updated_at', 'a.completed_at', 'o.name as organisation_name'])
      .orderBy('a.updated_at', 'desc').orderBy('a.id').limit(LIST_PAGE_SIZE).offset((page - 1) * LIST_PAGE_SIZE).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  ])
  return {
    total: Number(count.n),
    rows: rows.map((row) => ({
      id: row.id, victimName: row.victim_name, victimDateOfBirth: row.victim_date_of_birth, instrumentId: row.instrument_id,
      instrumentName: instrumentById(row.instrument_id)?.name ?? row.instrument_id, status: row.status, grade: row.grade,
      updatedAt: row.updated_at, completedAt: row.completed_at, organisationName: row.organisation_name
    }))
  }
}

export interface VersionRow {
  version: number
  kind: 'start' | 'save' | 'complete'
  grade: RiskGrade | null
  yesCount: number | null
  answered: number
  savedByLabel: string
  savedAt: Date
}

/** Every version of an assessment, oldest first. */
export async function assessmentVersions(db: Db, id: string): Promise<VersionRow[]> {
  const rows = await db.selectFrom('risk_assessment_version').select(['version', 'kind', 'grade', 'yes_count', 'answers', 'saved_by_label', 'saved_at'])
    .where('assessment_id', '=', id).orderBy('version').execute()
  return rows.map((row) => ({
    version: row.version, kind: row.kind, grade: row.grade, yesCount: row.yes_count, answered: Object.keys(row.answers).length,
    savedByLabel: row.saved_by_label, savedAt: row.saved_at
  }))
}
