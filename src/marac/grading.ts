// Grading a completed assessment (pure). Every item must be answered Yes, No or Don't know; the grade
// comes from the count of Yes (checklists) or from the assessor (graded tools); professional judgement
// may then raise it, with written reasons, and is never allowed to lower it. Errors name each field
// ("answers.strangulation", "judgement.grade") so a form or an API can show them beside the question.
import { ANSWERS, RISK_GRADES, gradeForYesCount, gradeRank, isRiskGrade } from './instruments.ts'
import type { Answer, Instrument, RiskGrade } from './instruments.ts'
import type { FieldError } from '../platform/validation.ts'


/** Reasons for raising a grade must be at least this long once trimmed: a sentence, not a tick. */
export const MIN_JUDGEMENT_REASONS_LENGTH = 20

export interface AssessmentInput {
  /** item id to 'yes', 'no' or 'dont-know' (raw strings from a form are checked here) */
  answers: Readonly<Record<string, string>>
  /** for a tool graded by the assessor (no tick threshold): the grade they chose */
  assessorGrade?: string
  /** professional judgement: a grade at or above the scored one, and the reasons (required to raise it) */
  judgement?: { grade: string, reasons?: string }
}

export interface GradedAssessment {
  instrumentId: string
  instrumentVersion: number
  answers: Record<string, Answer>
  yesCount: number
  noCount: number
  dontKnowCount: number
  /** the grade before judgement: from the count of Yes, or the assessor's grade on a graded tool */
  scoredGrade: RiskGrade
  /** the grade that stands */
  grade: RiskGrade
  /** present when judgement was given; `raised` is whether it changed the grade */
  judgement?: { grade: RiskGrade, reasons: string, raised: boolean }
  /** MARAC criterion "visible high risk": the scored grade (not judgement) is high */
  visibleHighRisk: boolean
  /** ids of the items about children that were answered Yes, in the instrument's order */
  childItemsYes: string[]
  /** some item about children was answered Yes */
  concernsChildren: boolean
}

export type GradingOutcome = { ok: true, assessment: GradedAssessment } | { ok: false, errors: FieldError[] }

const gradeList = RISK_GRADES.join(', ')

export function gradeAssessment(instrument: Instrument, input: AssessmentInput): GradingOutcome {
  const errors: FieldError[] = []
  const known = new Set(instrument.items.map((entry) => entry.id))
  const answers: Record<string, Answer> = {}
  for (const entry of instrument.items) {
    const value = Object.hasOwn(input.answers, entry.id) ? input.answers[entry.id] : undefined
    if (value === undefined || value === '') errors.push({ field: `answers.${entry.id}`, message: 'is not answered: choose Yes, No or Don\'t know' })
    else if (!ANSWERS.includes(value as Answer)) errors.push({ field: `answers.${entry.id}`, message: `must be yes, no or dont-know, not "${value}"` })
    else answers[entry.id] = value as Answer
  }
  for (const id of Object.keys(input.answers)) {
    if (!known.has(id)) errors.push({ field: `answers.${id}`, message: `is not an item of ${instrument.name} (${instrument.id} version ${instrument.version})` })
  }

  const counts = { yes: 0, no: 0, 'dont-know': 0 }
  for (const answer of Object.values(answers)) counts[answer]++

  let scoredGrade: RiskGrade | undefined
  if (instrument.scoring === 'count-of-yes') {
    if (input.assessorGrade !== undefined) {
      errors.push({ field: 'assessorGrade', message: `is not used by ${instrument.name}: its grade comes from the count of Yes answers (use professional judgement to raise it)` })
    }
    scoredGrade = gradeForYesCount(instrument.thresholds, counts.yes)
  } else if (input.assessorGrade === undefined || input.assessorGrade === '') {
    errors.push({ field: 'assessorGrade', message: `is required: ${instrument.name} has no tick threshold, so the assessor chooses the grade (${gradeList})` })
  } else if (!isRiskGrade(input.assessorGrade)) {
    errors.push({ field: 'assessorGrade', message: `must be one of ${gradeList}, not "${input.assessorGrade}"` })
  } else {
    scoredGrade = input.assessorGrade
  }

  let judgement: GradedAssessment['judgement']
  if (input.judgement) {
    const { grade, reasons = '' } = input.judgement
    const trimmed = reasons.trim()
    if (!isRiskGrade(grade)) {
      errors.push({ field: 'judgement.grade', message: `must be one of ${gradeList}, not "${grade}"` })
    } else if (scoredGrade !== undefined) {
      const raised = gradeRank(grade) > gradeRank(scoredGrade)
      if (gradeRank(grade) < gradeRank(scoredGrade)) {
        errors.push({ field: 'judgement.grade', message: `professional judgement may raise a grade but never lower it: the assessment gives ${scoredGrade}, so ${grade} is refused` })
      } else if (raised && trimmed.length < MIN_JUDGEMENT_REASONS_LENGTH) {
        errors.push({ field: 'judgement.reasons', message: trimmed === ''
          ? `are required to raise the grade from ${scoredGrade} to ${grade}`
          : `must be at least ${MIN_JUDGEMENT_REASONS_LENGTH} characters: say what makes the risk ${grade}` })
      } else {
        judgement = { grade, reasons: trimmed, raised }
      }
    }
  }

  if (errors.length > 0 || scoredGrade === undefined) return { ok: false, errors }
  const childItemsYes = instrument.items.filter((entry) => entry.aboutChildren && answers[entry.id] === 'yes').map((entry) => entry.id)
  return {
    ok: true,
    assessment: {
      instrumentId: instrument.id,
      instrumentVersion: instrument.version,
      answers,
      yesCount: counts.yes,
      noCount: counts.no,
      dontKnowCount: counts['dont-know'],
      scoredGrade,
      grade: judgement?.raised ? judgement.grade : scoredGrade,
      ...(judgement ? { judgement } : {}),
      visibleHighRisk: scoredGrade === 'high',
      childItemsYes,
      concernsChildren: childItemsYes.length > 0
    }
  }
}
