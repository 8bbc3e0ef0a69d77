// The risk assessment journey, as GOV.UK question pages: start (the victim and the instrument), the
// questions a few at a time, the assessor's grade on a graded tool, the children it concerns when an item
// about children is Yes, professional judgement, check answers, and a confirmation with the grade. Every
// page can save and return later; each save is a new version. A person sees only the assessments their
// grant's scope reaches: 'own' those they started, 'team' their team's (no team: their own),
// 'organisation' their organisation's, 'partnership' all; anything else answers 404. Drafts (and every
// journey page) follow the scope of risk-assessment:create, completed ones that of :view. Every view is audited.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, originOf, signedInSession } from '../platform/http/server.ts'
import { pageNumber, pagination } from '../platform/http/forms.ts'
import type { FormBody } from '../platform/http/forms.ts'
import type { Permission } from '../platform/access/roles.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { ageOn, longDate, todayInLondon } from '../platform/time/dates.ts'
import { INSTRUMENTS, RISK_GRADES, gradeRank } from './instruments.ts'
import type { Answer } from './instruments.ts'
import {
  AssessmentCompleteError, LIST_PAGE_SIZE, assessmentLimit, assessmentVersions, completeAssessment, completionProblems, concernsChildren, findAssessment,
  listAssessments, recordAssessmentView, saveAssessment, scoredSoFar, startAssessment
} from './assessments.ts'
import type { Assessment, AssessmentLimit, AssessmentState } from './assessments.ts'
import {
  ANSWER_WORDS, GRADE_WORDS, KEEP_GRADE, answerField, checkAnswers, checkAssessorGrade, checkChildren, checkStart, checkVictim,
  childSlots, dateParts, firstIncompletePage, formProblemsFromGrading, judgementFromForm, judgementValues, pageOfItem, questionPages, unsuitedBecause
} from './assessment-form.ts'
import type { FormProblem, FormValues } from './assessment-form.ts'
import { gradeAssessment } from './grading.ts'

const create = { permission: 'risk-assessment:create' } as const
const view = { permission: 'risk-assessment:view' } as const
const idParams = { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } } as const
const pageParams = { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, page: { type: 'string' } }, required: ['id', 'page'] } } as const
const VIEWS = 'marac/views/assessment'
const BASE = '/risk-assessments'

/** Date fields: the error summary links to their first box. */
const DATE_FIELDS = /(^victimDob$|-dob$)/

function formValues(body: unknown): FormValues {
  const values: FormValues = {}
  for (const [key, value] of Object.entries((body ?? {}) as FormBody)) {
    const first = Array.isArray(value) ? value[0] : value
    if (typeof first === 'string') values[key] = first.trim()
  }
  return values
}

function errorsOf(problems: readonly FormProblem[]) {
  const byField: Record<string, string> = {}
  for (const problem of problems) byField[problem.field] ??= problem.message
  const errorList = Object.entries(byField).map(([field, message]) => ({ text: message, href: `#${DATE_FIELDS.test(field) ? `${field}-day` : field}` }))
  return { errors: byField, errorList }
}

/** Whose assessments the grant's scope reaches: own, team (no team: own), organisation or partnership. */
const limitFor = (request: FastifyRequest, permission: Permission): AssessmentLimit => {
  const { user } = signedInSession(request)
  return assessmentLimit(user, user.grants.get(permission))
}

const gradeWords = (grade: string | null | undefined) => (grade && grade in GRADE_WORDS ? GRADE_WORDS[grade as keyof typeof GRADE_WORDS] : '')

/** Where the journey goes after a step, given what is answered (`returnTo` check: back to check answers once nothing is missing). */
function nextStep(assessment: Assessment, state: AssessmentState, after: 'questions' | 'grade' | 'children' | 'judgement', returnToCheck: boolean): string {
  const base = `${BASE}/${assessment.id}`
  const instrument = assessment.instrument
  const incomplete = firstIncompletePage(instrument, state.answers)
  const needsGrade = instrument.scoring === 'assessor-grade' && !state.assessorGrade
  const needsChildren = concernsChildren(instrument, state.answers) && state.children.length === 0
  if (returnToCheck) {
    if (incomplete !== undefined) return `${base}/questions/${incomplete}?return=check`
    if (needsGrade) return `${base}/grade?return=check`
    if (needsChildren) return `${base}/children?return=check`
    return `${base}/check`
  }
  if (after === 'questions') {
    if (instrument.scoring === 'assessor-grade') return `${base}/grade`
    after = 'grade'
  }
  if (after === 'grade') {
    if (concernsChildren(instrument, state.answers)) return `${base}/children`
    after = 'children'
  }
  if (after === 'children') return `${base}/judgement`
  return `${base}/check`
}

/** Where a saved draft is picked up: the first thing still to do, or check answers. */
function resumeAt(assessment: Assessment): string {
  const base = `${BASE}/${assessment.id}`
  const incomplete = firstIncompletePage(assessment.instrument, assessment.state.answers)
  if (incomplete !== undefined) return `${base}/questions/${incomplete}`
  if (assessment.instrument.scoring === 'assessor-grade' && !assessment.state.assessorGrade) return `${base}/grade`
  if (concernsChildren(assessment.instrument, assessment.state.answers) && assessment.state.children.length === 0) return `${base}/children`
  return `${base}/check`
}

function instrumentChoices(selected: string | undefined) {
  const hints: Record<string, string> = {
    'partner-checklist': 'Partner agencies. 24 questions; the number of Yes answers sets the grade.',
    'police-checklist': 'Police. 27 questions; the number of Yes answers sets the grade.',
    'young-people-checklist': 'For young people aged 13 to 17 experiencing abuse in their own relationships.',
    'police-graded': 'Frontline police. The questions inform your judgement and you choose the grade.'
  }
  return INSTRUMENTS.map((instrument) => ({ value: instrument.id, text: instrument.name, hint: { text: hints[instrument.id] ?? '' }, checked: instrument.id === selected }))
}

/** The summary the check answers and completed pages show. */
function summaryOf(assessment: Assessment, state: AssessmentState, withChangeLinks: boolean) {
  const instrument = assessment.instrument
  const base = `${BASE}/${assessment.id}`
  const change = (href: string, what: string) => (withChangeLinks ? { items: [{ href, text: 'Change', visuallyHiddenText: what }] } : undefined)
  const victimRows = [
    { key: { text: 'Name' }, value: { text: state.victimName }, actions: change(`${base}/details?return=check`, 'name') },
    { key: { text: 'Date of birth' }, value: { text: `${longDate(state.victimDateOfBirth)} (aged ${ageOn(state.victimDateOfBirth, todayInLondon())})` }, actions: change(`${base}/details?return=check`, 'date of birth') }
  ]
  const answerRows = instrument.items.map((item, i) => ({
    key: { text: `${i + 1}. ${item.text}` },
    value: { text: state.answers[item.id] ? ANSWER_WORDS[state.answers[item.id] as Answer] : 'Not answered' },
    actions: change(`${base}/questions/${pageOfItem(instrument, item.id)}?return=check#${answerField(item.id)}`, `answer to question ${i + 1}`)
  }))
  const scored = scoredSoFar(instrument, state)
  const gradeRows = []
  if (instrument.scoring === 'assessor-grade') {
    gradeRows.push({ key: { text: 'Your grade' }, value: { text: gradeWords(state.assessorGrade) || 'Not chosen' }, actions: change(`${base}/grade?return=check`, 'your grade') })
  } else {
    gradeRows.push({ key: { text: 'Yes answers' }, value: { text: scored ? `${scored.yesCount} of ${instrument.items.length}` : 'Not every question is answered yet' } })
    gradeRows.push({ key: { text: 'Grade from the answers' }, value: { text: scored ? gradeWords(scored.scoredGrade) : 'Not known yet' } })
  }
  const judgement = state.judgement
  gradeRows.push({
    key: { text: 'Professional judgement' },
    value: { text: judgement ? (judgement.raised ? `Raised to ${gradeWords(judgement.grade).toLowerCase()}: ${judgement.reasons}` : `Keeps the grade${judgement.reasons ? `: ${judgement.reasons}` : ''}`) : 'Does not change the grade' },
    actions: change(`${base}/judgement?return=check`, 'professional judgement')
  })
  const asks = concernsChildren(instrument, state.answers)
  const childRows = asks
    ? (state.children.length > 0
      ? state.children.map((child, i) => ({ key: { text: `Child ${i + 1}` }, value: { text: `${child.name}, born ${longDate(child.dateOfBirth)}` }, actions: change(`${base}/children?return=check`, `child ${i + 1}`) }))
      : [{ key: { text: 'Children' }, value: { text: 'None listed yet' }, actions: change(`${base}/children?return=check`, 'children') }])
    : []
  const grade = scored ? (judgement?.raised && gradeRank(judgement.grade) > gradeRank(scored.scoredGrade) ? judgement.grade : scored.scoredGrade) : null
  return { victimRows, answerRows, gradeRows, childRows, asksForChildren: asks, grade, gradeText: gradeWords(grade) }
}

export const assessmentRoutes: RouteRegistrar = (app, services) => {
  const db = services.db

  /** The assessment if the person may see it (within the scope of their grant of `permission`), else undefined. */
  const load = async (request: FastifyRequest, permission: Permission): Promise<Assessment | undefined> => {
    const { id } = request.params as { id: string }
    return await findAssessment(db, id, limitFor(request, permission))
  }

  /** A draft the person may work on; a completed one sends them to it; anything else is not found. */
  const draft = async (request: FastifyRequest, reply: FastifyReply): Promise<Assessment | undefined> => {
    const assessment = await load(request, create.permission)
    if (!assessment) {
      await reply.callNotFound()
      return undefined
    }
    if (assessment.status === 'complete') {
      await reply.redirect(`${BASE}/${assessment.id}`, 303)
      return undefined
    }
    return assessment
  }

  const audited = async (request: FastifyRequest, assessment: Assessment, page: string) => {
    await recordAssessmentView(db, assessment.id, actorOfRequest(request), originOf(request), page)
  }

  const returnToCheck = (request: FastifyRequest) => (request.query as Record<string, string | undefined>).return === 'check' || formValues(request.body).return === 'check'
  const savingForLater = (request: FastifyRequest) => formValues(request.body).action === 'save'
  const savedForLater = (reply: FastifyReply, id: string) => reply.redirect(`${BASE}?saved=${id}`, 303)

  /** Saves a change, or (for an assessment completed meanwhile) sends the person to it. */
  const save = async (request: FastifyRequest, reply: FastifyReply, assessment: Assessment, change: Partial<AssessmentState>, page: string): Promise<boolean> => {
    try {
      await saveAssessment(db, assessment.id, change, actorOfRequest(request), originOf(request), page)
      return true
    } catch (error) {
      if (!(error instanceof AssessmentCompleteError)) throw error
      await reply.redirect(`${BASE}/${assessment.id}`, 303)
      return false
    }
  }

  const common = (assessment: Assessment, request: FastifyRequest) => ({
    assessment, instrument: assessment.instrument, victimName: assessment.state.victimName, base: `${BASE}/${assessment.id}`,
    returnTo: returnToCheck(request) ? 'check' : ''
  })

  // ---- the list: drafts to pick up (own organisation), completed assessments (within the view scope)
  app.get(BASE, { config: { access: view } }, async (request, reply) => {
    const { user } = signedInSession(request)
    const page = pageNumber(request.query)
    const canCreate = user.grants.has(create.permission)
    const drafts = canCreate ? await listAssessments(db, { limitTo: limitFor(request, create.permission), status: 'draft' }) : { rows: [], total: 0 }
    const completeLimit = limitFor(request, view.permission)
    const completed = await listAssessments(db, { limitTo: completeLimit, status: 'complete', page })
    await appendAudit(db, {
      actor: actorOfRequest(request), action: 'risk-assessment-list-view', recordType: 'risk-assessment', ...originOf(request),
      details: { page, shown: [...drafts.rows, ...completed.rows].map((row) => row.id) }
    })
    const savedId = (request.query as Record<string, string | undefined>).saved
    const saved = savedId ? drafts.rows.find((row) => row.id === savedId) : undefined
    return reply.view(`${VIEWS}/list.njk`, {
      title: 'Risk assessments', width: 'full', canCreate, partnership: completeLimit.scope === 'partnership', saved,
      drafts: drafts.rows.map((row) => ({ ...row, dob: longDate(row.victimDateOfBirth) })),
      completed: completed.rows.map((row) => ({ ...row, dob: longDate(row.victimDateOfBirth), gradeText: gradeWords(row.grade) })),
      completedTotal: completed.total,
      pagination: pagination(BASE, {}, page, LIST_PAGE_SIZE, completed.total)
    })
  })

  // ---- start: the victim and the instrument
  const startPage = (reply: FastifyReply, values: FormValues, problems: FormProblem[] = []) =>
    reply.code(problems.length ? 400 : 200).view(`${VIEWS}/start.njk`, {
      title: 'Start a risk assessment', values, instruments: instrumentChoices(values.instrument), ...errorsOf(problems)
    })

  app.get(`${BASE}/new`, { config: { access: create } }, async (_request, reply) => startPage(reply, {}))

  app.post(`${BASE}/new`, { config: { access: create } }, async (request, reply) => {
    const values = formValues(request.body)
    const checked = checkStart(values, todayInLondon())
    if (!checked.details || !checked.instrument) return startPage(reply, values, checked.problems)
    const { user } = signedInSession(request)
    const id = await startAssessment(db, { organisationId: user.organisationId, userId: user.id, ...checked.details, instrumentId: checked.instrument.id }, actorOfRequest(request), originOf(request))
    return reply.redirect(`${BASE}/${id}/questions/1`, 303)
  })

  // ---- a completed assessment (or a draft: picked up where it was left)
  app.get(`${BASE}/:id`, { schema: idParams, config: { access: view } }, async (request, reply) => {
    const { user } = signedInSession(request)
    const assessment = await load(request, view.permission)
    if (!assessment) return reply.callNotFound()
    if (assessment.status === 'draft') {
      // a draft is work in progress: only those whose grant to assess reaches it (own, team, organisation) see it
      const mayContinue = user.grants.has(create.permission) && await load(request, create.permission) !== undefined
      if (!mayContinue) return reply.callNotFound()
      return reply.redirect(resumeAt(assessment), 303)
    }
    await audited(request, assessment, 'completed')
    return reply.view(`${VIEWS}/assessment.njk`, {
      title: `Risk assessment: ${assessment.state.victimName}`, ...common(assessment, request), ...summaryOf(assessment, assessment.state, false),
      versions: await assessmentVersions(db, assessment.id), gradeWords: GRADE_WORDS
    })
  })

  // ---- change the victim's details
  const detailsPage = (reply: FastifyReply, assessment: Assessment, request: FastifyRequest, values: FormValues, problems: FormProblem[] = []) =>
    reply.code(problems.length ? 400 : 200).view(`${VIEWS}/details.njk`, { title: 'The person experiencing abuse', ...common(assessment, request), values, ...errorsOf(problems) })

  app.get(`${BASE}/:id/details`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    await audited(request, assessment, 'details')
    return detailsPage(reply, assessment, request, { victimName: assessment.state.victimName, ...dateParts(assessment.state.victimDateOfBirth, 'victimDob') })
  })

  app.post(`${BASE}/:id/details`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    const values = formValues(request.body)
    const today = todayInLondon()
    const checked = checkVictim(values, today)
    const problems = [...checked.problems]
    if (checked.details) {
      const unsuited = unsuitedBecause(assessment.instrument, ageOn(checked.details.victimDateOfBirth, today))
      if (unsuited) problems.push({ field: 'victimDob', message: `${unsuited}. To use another checklist, start a new assessment` })
    }
    if (!checked.details || problems.length > 0) return detailsPage(reply, assessment, request, values, problems)
    if (!await save(request, reply, assessment, checked.details, 'details')) return reply
    if (savingForLater(request)) return savedForLater(reply, assessment.id)
    return reply.redirect(returnToCheck(request) ? `${BASE}/${assessment.id}/check` : resumeAt(assessment), 303)
  })

  // ---- the questions, a few per page
  const questionsPage = (reply: FastifyReply, assessment: Assessment, request: FastifyRequest, number: number, values: FormValues, problems: FormProblem[] = []) => {
    const pages = questionPages(assessment.instrument)
    const items = pages[number - 1] ?? []
    const first = (number - 1) * pages[0]!.length + 1
    return reply.code(problems.length ? 400 : 200).view(`${VIEWS}/questions.njk`, {
      title: `Questions ${first} to ${first + items.length - 1} of ${assessment.instrument.items.length}`,
      ...common(assessment, request), number, pageCount: pages.length, first,
      questions: items.map((item, i) => ({
        ...item, number: first + i, field: answerField(item.id),
        choices: (['yes', 'no', 'dont-know'] as Answer[]).map((answer) => ({ value: answer, text: ANSWER_WORDS[answer], checked: values[answerField(item.id)] === answer }))
      })),
      back: number > 1 ? `${BASE}/${assessment.id}/questions/${number - 1}` : BASE,
      ...errorsOf(problems)
    })
  }

  const questionNumber = (request: FastifyRequest, assessment: Assessment): number | undefined => {
    const raw = (request.params as { page: string }).page
    const number = /^[1-9][0-9]?$/.test(raw) ? Number(raw) : 0
    return number >= 1 && number <= questionPages(assessment.instrument).length ? number : undefined
  }

  app.get(`${BASE}/:id/questions/:page`, { schema: pageParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    const number = questionNumber(request, assessment)
    if (number === undefined) return reply.callNotFound()
    await audited(request, assessment, `questions-${number}`)
    const values = Object.fromEntries(Object.entries(assessment.state.answers).map(([id, answer]) => [answerField(id), answer]))
    return questionsPage(reply, assessment, request, number, values)
  })

  app.post(`${BASE}/:id/questions/:page`, { schema: pageParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    const number = questionNumber(request, assessment)
    if (number === undefined) return reply.callNotFound()
    const values = formValues(request.body)
    const items = questionPages(assessment.instrument)[number - 1] ?? []
    const later = savingForLater(request)
    const { answers, problems } = checkAnswers(values, items, !later, (number - 1) * (questionPages(assessment.instrument)[0]?.length ?? 0) + 1)
    if (problems.length > 0) return questionsPage(reply, assessment, request, number, values, problems)
    if (!await save(request, reply, assessment, { answers }, `questions-${number}`)) return reply
    if (later) return savedForLater(reply, assessment.id)
    const state = { ...assessment.state, answers: { ...assessment.state.answers, ...answers } }
    const isLast = number === questionPages(assessment.instrument).length
    if (returnToCheck(request)) return reply.redirect(nextStep(assessment, state, 'questions', true), 303)
    if (!isLast) return reply.redirect(`${BASE}/${assessment.id}/questions/${number + 1}`, 303)
    return reply.redirect(nextStep(assessment, state, 'questions', false), 303)
  })

  // ---- a graded tool: the assessor's grade
  const gradePage = (reply: FastifyReply, assessment: Assessment, request: FastifyRequest, values: FormValues, problems: FormProblem[] = []) => {
    const pages = questionPages(assessment.instrument)
    return reply.code(problems.length ? 400 : 200).view(`${VIEWS}/grade.njk`, {
      title: 'What is your grade of the risk?', ...common(assessment, request),
      choices: RISK_GRADES.map((grade) => ({ value: grade, text: GRADE_WORDS[grade], checked: values.assessorGrade === grade })),
      back: `${BASE}/${assessment.id}/questions/${pages.length}`, ...errorsOf(problems)
    })
  }

  app.get(`${BASE}/:id/grade`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    if (assessment.instrument.scoring !== 'assessor-grade') return reply.callNotFound()
    await audited(request, assessment, 'grade')
    return gradePage(reply, assessment, request, { assessorGrade: assessment.state.assessorGrade ?? '' })
  })

  app.post(`${BASE}/:id/grade`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    if (assessment.instrument.scoring !== 'assessor-grade') return reply.callNotFound()
    const values = formValues(request.body)
    const later = savingForLater(request)
    const checked = checkAssessorGrade(values, !later)
    if (checked.problems.length > 0) return gradePage(reply, assessment, request, values, checked.problems)
    if (!await save(request, reply, assessment, checked.grade ? { assessorGrade: checked.grade } : {}, 'grade')) return reply
    if (later) return savedForLater(reply, assessment.id)
    const state = { ...assessment.state, assessorGrade: checked.grade ?? null }
    return reply.redirect(nextStep(assessment, state, 'grade', returnToCheck(request)), 303)
  })

  // ---- the children the assessment concerns (asked when an item about children is Yes)
  const childrenPage = (reply: FastifyReply, assessment: Assessment, request: FastifyRequest, values: FormValues, slots: number, problems: FormProblem[] = []) => {
    const yesItems = assessment.instrument.items.filter((item) => item.aboutChildren && assessment.state.answers[item.id] === 'yes')
    const pages = questionPages(assessment.instrument)
    return reply.code(problems.length ? 400 : 200).view(`${VIEWS}/children.njk`, {
      title: 'The children this assessment concerns', ...common(assessment, request), values, yesItems,
      slots: Array.from({ length: slots }, (_, i) => i + 1), slotCount: slots,
      back: assessment.instrument.scoring === 'assessor-grade' ? `${BASE}/${assessment.id}/grade` : `${BASE}/${assessment.id}/questions/${pages.length}`,
      ...errorsOf(problems)
    })
  }

  app.get(`${BASE}/:id/children`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    await audited(request, assessment, 'children')
    const values: FormValues = {}
    assessment.state.children.forEach((child, i) => {
      values[`child${i + 1}-name`] = child.name
      Object.assign(values, dateParts(child.dateOfBirth, `child${i + 1}-dob`))
    })
    return childrenPage(reply, assessment, request, values, childSlots(assessment.state.children.length))
  })

  app.post(`${BASE}/:id/children`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    const values = formValues(request.body)
    const posted = Number(values.slots)
    const slots = Number.isInteger(posted) && posted >= 1 && posted <= 12 ? posted : childSlots(0)
    const later = savingForLater(request)
    const asks = concernsChildren(assessment.instrument, assessment.state.answers)
    const checked = checkChildren(values, slots, todayInLondon(), asks && !later && values.action !== 'more')
    if (checked.problems.length > 0) return childrenPage(reply, assessment, request, values, slots, checked.problems)
    if (!await save(request, reply, assessment, { children: checked.children }, 'children')) return reply
    if (later) return savedForLater(reply, assessment.id)
    // "Add more children": the same page with more boxes
    if (values.action === 'more') return reply.redirect(`${BASE}/${assessment.id}/children${returnToCheck(request) ? '?return=check' : ''}`, 303)
    const state = { ...assessment.state, children: checked.children }
    return reply.redirect(nextStep(assessment, state, 'children', returnToCheck(request)), 303)
  })

  // ---- professional judgement: may raise the grade (with reasons), never lower it
  const judgementPage = (reply: FastifyReply, assessment: Assessment, request: FastifyRequest, values: FormValues, problems: FormProblem[] = []) => {
    const scored = scoredSoFar(assessment.instrument, assessment.state)
    const scoredGrade = scored?.scoredGrade
    const asks = concernsChildren(assessment.instrument, assessment.state.answers)
    const pages = questionPages(assessment.instrument)
    return reply.code(problems.length ? 400 : 200).view(`${VIEWS}/judgement.njk`, {
      title: 'Professional judgement', ...common(assessment, request), values, scored, scoredGradeText: gradeWords(scoredGrade),
      choices: [
        { value: KEEP_GRADE, text: `No, the grade stays ${gradeWords(scoredGrade).toLowerCase()}`, checked: values.judgementGrade === KEEP_GRADE },
        { divider: 'or' },
        ...RISK_GRADES.map((grade) => ({ value: grade, text: `${GRADE_WORDS[grade]}`, checked: values.judgementGrade === grade }))
      ],
      back: asks ? `${BASE}/${assessment.id}/children` : assessment.instrument.scoring === 'assessor-grade' ? `${BASE}/${assessment.id}/grade` : `${BASE}/${assessment.id}/questions/${pages.length}`,
      ...errorsOf(problems)
    })
  }

  /** Judgement is given on a scored assessment: until then, the journey goes back to what is missing. */
  const readyForJudgement = (assessment: Assessment) => scoredSoFar(assessment.instrument, assessment.state) !== undefined

  app.get(`${BASE}/:id/judgement`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    if (!readyForJudgement(assessment)) return reply.redirect(resumeAt(assessment), 303)
    await audited(request, assessment, 'judgement')
    return judgementPage(reply, assessment, request, judgementValues(assessment.state.judgement))
  })

  app.post(`${BASE}/:id/judgement`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    if (!readyForJudgement(assessment)) return reply.redirect(resumeAt(assessment), 303)
    const values = formValues(request.body)
    const later = savingForLater(request)
    if (later && !values.judgementGrade) return savedForLater(reply, assessment.id)
    const fromForm = judgementFromForm(values)
    if (fromForm.problems.length > 0) return judgementPage(reply, assessment, request, values, fromForm.problems)
    let judgement: AssessmentState['judgement'] = null
    if (fromForm.judgement) {
      // gradeAssessment decides: at or above the scored grade, with reasons to raise it; never lower
      const graded = gradeAssessment(assessment.instrument, {
        answers: assessment.state.answers,
        ...(assessment.instrument.scoring === 'assessor-grade' ? { assessorGrade: assessment.state.assessorGrade ?? '' } : {}),
        judgement: fromForm.judgement
      })
      if (!graded.ok) return judgementPage(reply, assessment, request, values, formProblemsFromGrading(graded.errors, assessment.instrument))
      judgement = graded.assessment.judgement ?? null
    }
    if (!await save(request, reply, assessment, { judgement }, 'judgement')) return reply
    if (later) return savedForLater(reply, assessment.id)
    return reply.redirect(nextStep(assessment, { ...assessment.state, judgement }, 'judgement', returnToCheck(request)), 303)
  })

  // ---- check answers, then complete
  const checkPage = (reply: FastifyReply, assessment: Assessment, request: FastifyRequest, problems: FormProblem[] = []) => {
    const summary = summaryOf(assessment, assessment.state, true)
    const base = `${BASE}/${assessment.id}`
    // each problem links to where it is put right
    const errorList = problems.map((problem) => {
      let href = `${base}/judgement`
      if (problem.field.startsWith('answer-')) href = `${base}/questions/${pageOfItem(assessment.instrument, problem.field.slice('answer-'.length))}?return=check#${problem.field}`
      else if (problem.field === 'assessorGrade') href = `${base}/grade?return=check`
      else if (problem.field === 'children') href = `${base}/children?return=check`
      else if (problem.field.startsWith('judgement')) href = `${base}/judgement?return=check`
      return { text: problem.message, href }
    })
    return reply.code(problems.length ? 400 : 200).view(`${VIEWS}/check.njk`, {
      title: 'Check your answers before completing the assessment', ...common(assessment, request), ...summary, errorList,
      back: `${base}/judgement`
    })
  }

  app.get(`${BASE}/:id/check`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    await audited(request, assessment, 'check')
    return checkPage(reply, assessment, request)
  })

  app.post(`${BASE}/:id/check`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await draft(request, reply)
    if (!assessment) return reply
    if (savingForLater(request)) return savedForLater(reply, assessment.id)
    const problems = completionProblems(assessment.instrument, assessment.state).errors
    if (problems.length > 0) return checkPage(reply, assessment, request, formProblemsFromGrading(problems, assessment.instrument))
    try {
      const outcome = await completeAssessment(db, assessment.id, actorOfRequest(request), originOf(request))
      if (!outcome.ok) return checkPage(reply, assessment, request, formProblemsFromGrading(outcome.errors, assessment.instrument))
    } catch (error) {
      if (!(error instanceof AssessmentCompleteError)) throw error
    }
    return reply.redirect(`${BASE}/${assessment.id}/confirmation`, 303)
  })

  app.get(`${BASE}/:id/confirmation`, { schema: idParams, config: { access: create } }, async (request, reply) => {
    const assessment = await load(request, create.permission)
    if (!assessment) return reply.callNotFound()
    if (assessment.status !== 'complete') return reply.redirect(resumeAt(assessment), 303)
    await audited(request, assessment, 'confirmation')
    return reply.view(`${VIEWS}/confirmation.njk`, {
      title: 'Risk assessment complete', ...common(assessment, request), gradeText: gradeWords(assessment.grade), grade: assessment.grade,
      children: assessment.state.children.map((child) => ({ ...child, dob: longDate(child.dateOfBirth) })),
      judgement: assessment.state.judgement, scoredGradeText: gradeWords(assessment.scoredGrade),
      assessmentId: assessment.id, mayRefer: signedInSession(request).user.grants.has('marac-case:create')
    })
  })
}
