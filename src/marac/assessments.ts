// Risk assessments: queries and the service around them. An assessment belongs to the assessor's
// organisation and is versioned: starting it, every save of its answers and its completion each add a
// version holding the whole state at that moment (who saved it and when); versions are never changed.
// Grading is gradeAssessment's (pure): the count of Yes, or the assessor's grade on a graded tool, then
// professional judgement that may raise the grade with reasons and never lower it. Each create, save,
// completion and view is audited (record type 'risk-assessment').
import { sql } from 'kysely'
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { configureInstrument, instrumentById, isRiskGrade } from './instruments.ts'
import type { Instrument, RiskGrade } from './instruments.ts'
import { gradeAssessment } from './grading.ts'
import type { FieldError, GradedAssessment } from './grading.ts'

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
 * The instrument an assessment uses, with the partnership's threshold overrides applied and checked
 * (none are configured yet: the defaults stand). Undefined for an id Harbour does not know.
 */
export function assessmentInstrument(id: string): Instrument | undefined {
  const instrument = instrumentById(id)
  return instrument ? configureInstrument(instrument) : undefined
}

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
  const instrument = assessmentInstrument(input.instrumentId)
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

/** The assessment with its latest version, or undefined if there is none, or it is outside `limitTo` (an organisation id). */
export async function findAssessment(db: Db, id: string, limitTo?: string): Promise<Assessment | undefined> {
  let query = db.selectFrom('risk_assessment as a')
    .innerJoin('risk_assessment_version as v', (join) => join.onRef('v.assessment_id', '=', 'a.id').onRef('v.version', '=', 'a.current_version'))
    .innerJoin('organisation as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id', 'a.organisation_id', 'o.name as organisation_name', 'a.instrument_id', 'a.status', 'a.current_version', 'a.grade',
      'a.created_at', 'a.updated_at', 'a.completed_at', 'v.victim_name', 'v.victim_date_of_birth', 'v.answers', 'v.assessor_grade',
      'v.judgement', 'v.children', 'v.saved_by_label', 'v.saved_at', 'v.scored_grade', 'v.yes_count'
    ])
    .where('a.id', '=', id)
  if (limitTo) query = query.where('a.organisation_id', '=', limitTo)
  const row = await query.executeTakeFirst()
  if (!row) return undefined
  const instrument = assessmentInstrument(row.instrument_id)
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

/** Assessments, latest first: an organisation's (limitTo) or the whole partnership's; drafts or completed ones. */
export async function listAssessments(db: Db, options: { limitTo: string | undefined, status: 'draft' | 'complete', page?: number }): Promise<{ rows: AssessmentListRow[], total: number }> {
  let base = db.selectFrom('risk_assessment as a').where('a.status', '=', options.status)
  if (options.limitTo) base = base.where('a.organisation_id', '=', options.limitTo)
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
