// The risk assessment journey's pages as pure rules: how an instrument's items are split into question
// pages, what each page's form says and what is wrong with it (each problem names its field, in words a
// practitioner can act on). No I/O: the routes read the form, call these, and save through assessments.ts.
import { ageOn, isIsoDate } from '../platform/time/dates.ts'
import { ANSWERS, INSTRUMENTS, RISK_GRADES, isRiskGrade, suitsAge } from './instruments.ts'
import type { Answer, Instrument, InstrumentItem, RiskGrade } from './instruments.ts'
import type { FieldError } from '../platform/validation.ts'
import type { AssessmentChild, Judgement } from './assessments.ts'

export type FormValues = Record<string, string>

export interface FormProblem { field: string, message: string }

/** Questions shown on one page: few enough to read carefully, with the victim in mind. */
export const QUESTIONS_PER_PAGE = 6
/** Boxes for children on the children page (more appear once these are used). */
export const MIN_CHILD_SLOTS = 3
export const MAX_CHILDREN = 12
export const MAX_NAME_LENGTH = 200
export const MAX_REASONS_LENGTH = 5000

export const ANSWER_WORDS: Record<Answer, string> = { yes: 'Yes', no: 'No', 'dont-know': 'Don\'t know' }
export const GRADE_WORDS: Record<RiskGrade, string> = { standard: 'Standard', medium: 'Medium', high: 'High' }

/** The instrument's items in pages of QUESTIONS_PER_PAGE. */
export function questionPages(instrument: Instrument): InstrumentItem[][] {
  const pages: InstrumentItem[][] = []
  for (let i = 0; i < instrument.items.length; i += QUESTIONS_PER_PAGE) pages.push(instrument.items.slice(i, i + QUESTIONS_PER_PAGE))
  return pages
}

/** The page (1-based) an item is asked on. */
export function pageOfItem(instrument: Instrument, itemId: string): number {
  const index = instrument.items.findIndex((item) => item.id === itemId)
  return index < 0 ? 1 : Math.floor(index / QUESTIONS_PER_PAGE) + 1
}

/** The first question page with an unanswered item, or undefined when every item is answered. */
export function firstIncompletePage(instrument: Instrument, answers: Readonly<Record<string, string>>): number | undefined {
  const index = instrument.items.findIndex((item) => !ANSWERS.includes(answers[item.id] as Answer))
  return index < 0 ? undefined : Math.floor(index / QUESTIONS_PER_PAGE) + 1
}

/** A GOV.UK date input's three boxes (`prefix-day`, `-month`, `-year`) as YYYY-MM-DD, or what is wrong. */
export function dateFromParts(values: FormValues, prefix: string, what: string): { date?: string, error?: string } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => (values[`${prefix}-${part}`] ?? '').trim()) as [string, string, string]
  if (!day && !month && !year) return { error: `Enter ${what}` }
  const missing = [['a day', day], ['a month', month], ['a year', year]].filter(([, v]) => !v).map(([name]) => name)
  if (missing.length > 0) return { error: `${capitalise(what)} must include ${missing.join(' and ')}` }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: `${capitalise(what)} must be a real date, with a 4-digit year` }
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  if (!isIsoDate(date)) return { error: `${capitalise(what)} must be a real date` }
  return { date }
}

/** YYYY-MM-DD as the three boxes' values. */
export function dateParts(date: string | undefined, prefix: string): FormValues {
  if (!date) return {}
  const [year, month, day] = date.split('-') as [string, string, string]
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

export interface VictimDetails { victimName: string, victimDateOfBirth: string }

/** The victim's name and date of birth (the start page and the page to change them). */
export function checkVictim(values: FormValues, today: string): { details?: VictimDetails, problems: FormProblem[] } {
  const problems: FormProblem[] = []
  const victimName = (values.victimName ?? '').trim()
  if (victimName === '') problems.push({ field: 'victimName', message: 'Enter the full name of the person experiencing abuse' })
  else if (victimName.length > MAX_NAME_LENGTH) problems.push({ field: 'victimName', message: `The name must be ${MAX_NAME_LENGTH} characters or fewer` })
  const dob = dateFromParts(values, 'victimDob', 'their date of birth')
  if (dob.error) problems.push({ field: 'victimDob', message: dob.error })
  else if (dob.date && dob.date > today) problems.push({ field: 'victimDob', message: 'Their date of birth must be in the past' })
  else if (dob.date && ageOn(dob.date, today) > 120) problems.push({ field: 'victimDob', message: 'Their date of birth must be a real date of birth: check the year' })
  if (problems.length > 0 || !dob.date) return { problems }
  return { details: { victimName, victimDateOfBirth: dob.date }, problems }
}

/** Why an instrument does not suit someone of this age, or undefined when it does. */
export function unsuitedBecause(instrument: Instrument, age: number): string | undefined {
  if (suitsAge(instrument, age)) return undefined
  const suiting = INSTRUMENTS.filter((other) => suitsAge(other, age))
  const ages = instrument.ages ? `ages ${instrument.ages.min} to ${instrument.ages.max}` : 'people aged 16 and over'
  if (suiting.length === 0) return `None of these checklists is for someone aged ${age}. For a child under 13, talk to children's social care`
  return `The ${instrument.name.replace(/ \(.*\)$/, '')} is for ${ages}, and this person is ${age}: choose ${suiting.map((other) => `the ${other.name.replace(/ \(.*\)$/, '')}`).join(' or ')}`
}

/** The start page: the victim, and an instrument that suits their age. */
export function checkStart(values: FormValues, today: string, instruments: readonly Instrument[] = INSTRUMENTS): { details?: VictimDetails, instrument?: Instrument, problems: FormProblem[] } {
  const { details, problems } = checkVictim(values, today)
  const chosen = instruments.find((instrument) => instrument.id === values.instrument)
  if (!chosen) {
    problems.push({ field: 'instrument', message: 'Select the checklist or tool you are using' })
  } else if (details) {
    const unsuited = unsuitedBecause(chosen, ageOn(details.victimDateOfBirth, today))
    if (unsuited) problems.push({ field: 'instrument', message: unsuited })
  }
  if (problems.length > 0 || !details || !chosen) return { problems }
  return { details, instrument: chosen, problems }
}

/** The field name (and id) of an item's radios. */
export const answerField = (itemId: string) => `answer-${itemId}`

/**
 * A question page's answers. Continuing needs every item on the page answered; saving to return later
 * keeps whatever is answered. An answer that is not Yes, No or Don't know is refused either way.
 */
export function checkAnswers(values: FormValues, items: readonly InstrumentItem[], requireAll: boolean, firstNumber = 1): { answers: Record<string, Answer>, problems: FormProblem[] } {
  const answers: Record<string, Answer> = {}
  const problems: FormProblem[] = []
  for (const [i, item] of items.entries()) {
    const field = answerField(item.id)
    const message = `Select Yes, No or Don't know for question ${firstNumber + i}`
    const value = values[field] ?? ''
    if (value === '') {
      if (requireAll) problems.push({ field, message })
    } else if (!ANSWERS.includes(value as Answer)) {
      problems.push({ field, message })
    } else {
      answers[item.id] = value as Answer
    }
  }
  return { answers, problems }
}

/** A graded tool's own grade, chosen by the assessor. */
export function checkAssessorGrade(values: FormValues, requireIt: boolean): { grade?: RiskGrade, problems: FormProblem[] } {
  const value = values.assessorGrade ?? ''
  if (isRiskGrade(value)) return { grade: value, problems: [] }
  if (value === '' && !requireIt) return { problems: [] }
  return { problems: [{ field: 'assessorGrade', message: 'Select the risk grade you judge: standard, medium or high' }] }
}

/** How many child slots the children page shows for children already listed. */
export function childSlots(listed: number): number {
  return Math.min(MAX_CHILDREN, Math.max(MIN_CHILD_SLOTS, listed + 2))
}

/** The children page: each slot with anything in it needs a name and a date of birth (or expected date for an unborn baby). */
export function checkChildren(values: FormValues, slots: number, today: string, requireOne: boolean): { children: AssessmentChild[], problems: FormProblem[] } {
  const children: AssessmentChild[] = []
  const problems: FormProblem[] = []
  const latestDue = addDays(today, 300)
  for (let slot = 1; slot <= slots; slot++) {
    const name = (values[`child${slot}-name`] ?? '').trim()
    const anyDate = ['day', 'month', 'year'].some((part) => (values[`child${slot}-dob-${part}`] ?? '').trim() !== '')
    if (name === '' && !anyDate) continue
    if (name === '') problems.push({ field: `child${slot}-name`, message: `Enter child ${slot}'s name` })
    else if (name.length > MAX_NAME_LENGTH) problems.push({ field: `child${slot}-name`, message: `Child ${slot}'s name must be ${MAX_NAME_LENGTH} characters or fewer` })
    const dob = dateFromParts(values, `child${slot}-dob`, `child ${slot}'s date of birth`)
    if (dob.error) problems.push({ field: `child${slot}-dob`, message: dob.error })
    else if (dob.date && dob.date > latestDue) problems.push({ field: `child${slot}-dob`, message: `Child ${slot}'s date of birth must be in the past, or for an unborn baby the expected date, within 10 months` })
    else if (dob.date && dob.date <= today && ageOn(dob.date, today) >= 18) problems.push({ field: `child${slot}-dob`, message: `Child ${slot} must be under 18: check their date of birth` })
    if (name !== '' && name.length <= MAX_NAME_LENGTH && dob.date && !problems.some((problem) => problem.field.startsWith(`child${slot}-`))) children.push({ name, dateOfBirth: dob.date })
  }
  if (requireOne && children.length === 0 && problems.length === 0) {
    problems.push({ field: 'child1-name', message: 'Enter the name and date of birth of each child the assessment concerns' })
  }
  return { children, problems }
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** The judgement page's radios: keep the grade, or a grade (at or above it, with reasons to raise it). */
export const KEEP_GRADE = 'keep'

/** Professional judgement from the form; whether it may raise (never lower) the grade is gradeAssessment's to say. */
export function judgementFromForm(values: FormValues): { judgement?: { grade: string, reasons: string }, problems: FormProblem[] } {
  const choice = values.judgementGrade ?? ''
  const reasons = (values.judgementReasons ?? '').trim()
  if (choice === '') return { problems: [{ field: 'judgementGrade', message: 'Select whether your professional judgement changes the grade' }] }
  if (reasons.length > MAX_REASONS_LENGTH) return { problems: [{ field: 'judgementReasons', message: `Reasons must be ${MAX_REASONS_LENGTH.toLocaleString('en-GB')} characters or fewer` }] }
  if (choice === KEEP_GRADE) return { problems: [] }
  if (!RISK_GRADES.includes(choice as RiskGrade)) return { problems: [{ field: 'judgementGrade', message: 'Select whether your professional judgement changes the grade' }] }
  return { judgement: { grade: choice, reasons }, problems: [] }
}

/** The form fields gradeAssessment's problems belong to, and its messages as sentences. */
export function formProblemsFromGrading(errors: readonly FieldError[], instrument: Instrument): FormProblem[] {
  return errors.map((error) => {
    if (error.field === 'judgement.grade') return { field: 'judgementGrade', message: capitalise(error.message) }
    if (error.field === 'judgement.reasons') return { field: 'judgementReasons', message: `Reasons ${error.message}` }
    if (error.field === 'assessorGrade') return { field: 'assessorGrade', message: 'Select the risk grade you judge: standard, medium or high' }
    if (error.field === 'children') return { field: 'children', message: 'List the children the assessment concerns: an item about children is answered Yes' }
    if (error.field.startsWith('answers.')) {
      const id = error.field.slice('answers.'.length)
      const index = instrument.items.findIndex((entry) => entry.id === id)
      return { field: answerField(id), message: index >= 0 ? `Select Yes, No or Don't know for question ${index + 1}` : `Remove the answer to an item this checklist does not have (${id})` }
    }
    return { field: error.field, message: capitalise(error.message) }
  })
}

/** The judgement a state holds as the judgement page's form values. */
export function judgementValues(judgement: Judgement | null): FormValues {
  return judgement ? { judgementGrade: judgement.grade, judgementReasons: judgement.reasons } : {}
}
