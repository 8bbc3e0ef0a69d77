// MARAC's routes: referrals in (the API, for a referring agency's records system, and the web form), one
// referral (with its children offered to Operation Encompass and the MASH by link), the coordinator's
// queue (allocation to the next meetings with room, waits over target, the trend, the alert, moving a
// case with a reason), and the quarterly return (a page and its CSV). Thin: the work is in cases.ts.
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, apiClient, originOf, signedInSession } from '../platform/http/server.ts'
import { FormErrors, text, uuidParams } from '../platform/http/forms.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { longDate, todayInLondon } from '../platform/time/dates.ts'
import { allocateQueue, createReferral, findReferral, listAreas, maracReturn, moveCase, queueView } from './cases.ts'
import { recordIdvaContact } from './meetings.ts'
import { caseHistory, transferCase } from './transfers.ts'
import { auditCasesShown } from './case-views.ts'
import { CONSENT, CRITERION_TEXT, ETHNICITIES, GENDERS, YES_NO_NOT_KNOWN, validateReferral } from './referrals.ts'
import { CHILD_SLOTS, FORM_FIELDS, PERPETRATOR_SLOTS, formProblemsFrom, formValues, referralFromForm, valuesFromAssessment } from './referral-form.ts'
import { assessmentLimit, findAssessment } from './assessments.ts'
import type { FormProblem } from './referral-form.ts'
import { ReturnInputError, parseQuarter, returnCsv } from './returns.ts'
import type { MaracReturn } from './returns.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const create = { permission: 'marac-case:create' } as const
const manage = { permission: 'marac-case:manage' } as const
const returns = { permission: 'marac-return:view' } as const

const IDVA_TEXT: Record<string, string> = { 'done on time': 'Contacted on time', 'done late': 'Contacted late', due: 'Due', overdue: 'Overdue' }
const IDVA_COLOUR: Record<string, string> = { 'done on time': 'green', 'done late': 'orange', due: 'blue', overdue: 'red' }
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`
const days = (n: number) => plural(n, 'day', 'days')
const options = (vocabulary: Record<string, string>) => Object.entries(vocabulary).map(([value, label]) => ({ value, text: label }))

/** The quarter a date is in, like 2026Q4. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`
}

export const maracRoutes: RouteRegistrar = (app, services) => {
  const db = services.db

  // ---- referrals in, through the API

  app.post('/api/v1/marac/referrals', { config: { access: { api: 'marac-case:create' } } }, async (request, reply) => {
    const client = apiClient(request)
    const result = await createReferral(db, { organisationId: client.organisationId, body: request.body, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok && result.kind === 'invalid') {
      return reply.code(400).send({ error: 'invalid-referral', message: 'Nothing was stored: correct each field and send it again', errors: result.errors })
    }
    if (!result.ok) return reply.code(409).send({ error: 'reference-in-use', message: result.message })
    // a new referral, or the same one sent again (the same answer, nothing created)
    return reply.code(201).send(result.answer)
  })

  // ---- the web form

  const formPage = async (values: Record<string, string>, problems: FormProblem[] = []) => {
    const errors = new FormErrors()
    const order = (field: string) => { const at = FORM_FIELDS.indexOf(field); return at === -1 ? FORM_FIELDS.length : at }
    for (const problem of [...problems].sort((a, b) => order(a.field) - order(b.field))) errors.add(problem.field, problem.message)
    const areas = await listAreas(db)
    return {
      title: 'Refer to MARAC', values, errors: errors.byField, errorList: errors.summary,
      areas: [{ value: '', text: 'Select an area' }, ...areas.map((a) => ({ value: a.code, text: `${a.name} (${a.council})`, selected: values.areaCode === a.code }))],
      genders: options(GENDERS), ethnicities: options(ETHNICITIES), yesNoNotKnown: options(YES_NO_NOT_KNOWN), consent: options(CONSENT),
      perpetratorSlots: Array.from({ length: PERPETRATOR_SLOTS }, (_, i) => i + 1), childSlots: Array.from({ length: CHILD_SLOTS }, (_, i) => i + 1)
    }
  }

  /** A completed risk assessment this person may see, to refer from (anything else: none). */
  const assessmentToReferFrom = async (request: FastifyRequest, id: string) => {
    if (!UUID.test(id)) return undefined
    const user = signedInSession(request).user
    const scope = user.grants.get('risk-assessment:view')
    if (!scope) return undefined
    const assessment = await findAssessment(db, id, assessmentLimit(user, scope))
    return assessment?.status === 'complete' ? assessment : undefined
  }

  app.get('/marac/referrals/new', { config: { access: create } }, async (request, reply) => {
    // a reference made now: the same form sent twice (a double click, the back button) is one referral
    const values: Record<string, string> = { referralReference: `web-${randomUUID()}` }
    const assessment = await assessmentToReferFrom(request, text(request.query, 'assessment'))
    if (assessment) Object.assign(values, valuesFromAssessment(assessment))
    return reply.view('marac/views/referral-form.njk', await formPage(values))
  })

  app.post('/marac/referrals/new', { config: { access: create } }, async (request, reply) => {
    const user = signedInSession(request).user
    const values = formValues(request.body)
    values.assessmentId = text(request.body, 'assessmentId')
    if (!/^web-[0-9a-f-]{36}$/.test(values.referralReference ?? '')) values.referralReference = `web-${randomUUID()}`
    const form = referralFromForm(values, { name: user.displayName, email: user.email })
    if (form.problems.length > 0) {
      // the form's own problems, and whatever else the referral's check finds, all at once; nothing is stored
      const checked = validateReferral(form.body, todayInLondon())
      const more = checked.ok ? [] : formProblemsFrom(checked.errors, form.perpetratorSlots, form.childSlots)
      return reply.code(400).view('marac/views/referral-form.njk', await formPage(values, [...form.problems, ...more]))
    }
    const assessment = await assessmentToReferFrom(request, text(request.body, 'assessmentId'))
    const result = await createReferral(db, { organisationId: user.organisationId, body: form.body, actor: actorOfRequest(request), origin: originOf(request), ...(assessment ? { riskAssessmentId: assessment.id } : {}) })
    if (result.ok) return reply.redirect(`/marac/referrals/${result.answer.id}?sent=${result.created ? 'created' : 'unchanged'}`, 303)
    const problems = result.kind === 'invalid' ? formProblemsFrom(result.errors, form.perpetratorSlots, form.childSlots) : [{ field: 'referralReference', message: result.message }]
    return reply.code(400).view('marac/views/referral-form.njk', await formPage(values, problems))
  })

  // ---- one referral: the coordinator's (marac-case:manage), and the person who made it; anyone else
  // (another officer at the referring force, an agency's MARAC representative) is told it is not found:
  // representatives see the cases on the agenda of the meetings they attend, through the meeting pages.
  // Viewing is audited.

  const showReferral = async (request: FastifyRequest, reply: FastifyReply, status = 200, extra: Record<string, unknown> = {}) => {
    const { id } = request.params as { id: string }
    const user = signedInSession(request).user
    const detail = await findReferral(db, id)
    const mayOpen = detail !== undefined && (user.grants.has('marac-case:manage') || (detail.createdByUserId !== null && detail.createdByUserId === user.id))
    if (!detail || !mayOpen) return reply.callNotFound()
    await appendAudit(db, { actor: actorOfRequest(request), action: 'marac-referral-view', recordType: 'marac-referral', recordId: id, ...originOf(request) })
    const r = detail.referral
    const history = await caseHistory(db, id)
    const canSeeEncompass = user.grants.has('encompass-dashboard:view')
    const sent = (request.query as Record<string, string | undefined>).sent
    return reply.code(status).view('marac/views/referral.njk', {
      title: sent ? 'Referral received' : `MARAC referral: ${r.victim.firstName} ${r.victim.lastName}`, width: 'full',
      sent: sent === 'created' || sent === 'unchanged' ? sent : undefined,
      canManage: user.grants.has('marac-case:manage'),
      detail, referredOnText: longDate(detail.referredOn), idvaDueText: longDate(detail.idvaContactDue),
      idvaText: detail.idvaContactedOn ? `Contacted on ${longDate(detail.idvaContactedOn)} (due by ${longDate(detail.idvaContactDue)})` : `Not yet recorded: due by ${longDate(detail.idvaContactDue)}`,
      hearingText: detail.hearing ? longDate(detail.hearing.on) : undefined,
      criteria: detail.criteriaMet.map((c) => CRITERION_TEXT[c]),
      victimRows: [
        ['Name', `${r.victim.firstName} ${r.victim.lastName}`], ['Date of birth', longDate(r.victim.dateOfBirth)],
        ['Address', [r.victim.address, r.victim.postcode].filter(Boolean).join(', ')],
        ['Safe contact number', r.victim.safeContactNumber ?? 'Not given'], ['When it is safe to call', r.victim.safeContactTime ?? 'Not given'],
        ['Gender', GENDERS[r.victim.diversity.gender]], ['Ethnic group', ETHNICITIES[r.victim.diversity.ethnicity]],
        ['LGBT+', YES_NO_NOT_KNOWN[r.victim.diversity.lgbt]], ['Disabled', YES_NO_NOT_KNOWN[r.victim.diversity.disabled]]
      ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
      perpetrators: r.perpetrators.map((p, i) => ({
        number: i + 1, name: `${p.firstName} ${p.lastName}`,
        rows: [['Relationship to the victim', p.relationshipToVictim], ['Date of birth', p.dateOfBirth ? longDate(p.dateOfBirth) : 'Not known']]
          .map(([key, value]) => ({ key: { text: key }, value: { text: value } }))
      })),
      children: r.children.map((c, i) => ({
        number: i + 1, name: `${c.firstName} ${c.lastName}`,
        encompassHref: canSeeEncompass ? '/encompass' : undefined,
        rows: [
          ['Date of birth', longDate(c.dateOfBirth)], ['Relationship to the victim', c.relationshipToVictim],
          ...r.perpetrators.map((p, j) => [`Relationship to ${p.firstName} ${p.lastName}`, c.relationshipToPerpetrators[j] || 'Not known']),
          ['Lives in the household', c.livesInHousehold ? 'Yes' : 'No'],
          ['Address', [c.address, c.postcode].filter(Boolean).join(', ') || 'As the victim’s'],
          ['School', [c.school, c.schoolUrn ? `URN ${c.schoolUrn}` : ''].filter(Boolean).join(', ') || 'Not known']
        ].map(([key, value]) => ({ key: { text: key }, value: { text: value } }))
      })),
      consentText: CONSENT[r.consent], victimKnowsText: r.victimKnows ? 'Yes' : 'No',
      history: {
        transfers: history.transfers.map((t) => ({ ...t, handedOverText: longDate(t.handedOverOn) })),
        hearings: history.hearings.map((h) => ({ ...h, dateText: longDate(h.meetsOn) })),
        actions: history.actions.map((a) => ({ ...a, dueText: longDate(a.dueOn), meetingText: longDate(a.meetsOn) }))
      },
      transferAreas: [{ value: '', text: 'Select an area' }, ...(await listAreas(db)).filter((a) => a.code !== detail.area.code).map((a) => ({ value: a.code, text: `${a.name} (${a.council})`, selected: (extra.values as Record<string, string> | undefined)?.toArea === a.code }))],
      values: {},
      ...extra
    })
  }

  app.get('/marac/referrals/:id', { schema: uuidParams, config: { access: create } }, (request, reply) => showReferral(request, reply))

  app.post('/marac/referrals/:id/idva-contact', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const [d, m, y] = [text(request.body, 'idva-day'), text(request.body, 'idva-month'), text(request.body, 'idva-year')]
    const result = await recordIdvaContact(db, { referralId: id, on: d || m || y ? `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : '', actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok && result.errors[0]?.field === 'referralId') return reply.callNotFound()
    if (!result.ok) {
      const message = `The date of the IDVA’s first contact ${result.errors[0]?.message ?? ''}`
      return showReferral(request, reply, 400, { errors: { 'idva-day': message }, errorList: [{ text: message, href: '#idva-day' }] })
    }
    return reply.redirect(`/marac/referrals/${id}`, 303)
  })

  app.post('/marac/referrals/:id/transfer', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const values = {
      toArea: text(request.body, 'toArea'), reason: text(request.body, 'transferReason'), idvaFrom: text(request.body, 'idvaFrom'), idvaTo: text(request.body, 'idvaTo'),
      handedOverOn: ((d, m, y) => (d || m || y ? `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : ''))(text(request.body, 'handedOverOn-day'), text(request.body, 'handedOverOn-month'), text(request.body, 'handedOverOn-year'))
    }
    const result = await transferCase(db, { referralId: id, transfer: values, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok && result.errors[0]?.field === 'referralId') return reply.callNotFound()
    if (!result.ok) {
      const ids: Record<string, string> = { toArea: 'toArea', reason: 'transferReason', idvaFrom: 'idvaFrom', idvaTo: 'idvaTo', handedOverOn: 'handedOverOn-day' }
      const words: Record<string, string> = { toArea: 'Select the receiving MARAC area', reason: 'Enter why the case moves', idvaFrom: 'Enter the IDVA handing over', idvaTo: 'Enter the receiving IDVA' }
      const errors = new FormErrors()
      for (const error of result.errors) errors.add(ids[error.field] ?? 'toArea', words[error.field] ?? `The date of the handover ${error.message}`)
      const formValues = { ...values, transferReason: values.reason, 'handedOverOn-day': text(request.body, 'handedOverOn-day'), 'handedOverOn-month': text(request.body, 'handedOverOn-month'), 'handedOverOn-year': text(request.body, 'handedOverOn-year') }
      return showReferral(request, reply, 400, { errors: errors.byField, errorList: errors.summary, values: formValues })
    }
    return reply.redirect(`/marac/referrals/${id}`, 303)
  })

  // ---- the coordinator's queue

  const areaFrom = async (request: FastifyRequest) => {
    const areas = await listAreas(db)
    const wanted = (request.query as Record<string, string | undefined>).area
    return { areas, area: areas.find((a) => a.code === wanted) ?? areas[0] }
  }

  const queuePage = async (request: FastifyRequest, extra: Record<string, unknown> = {}, areaCode?: string) => {
    const { areas, area: chosen } = await areaFrom(request)
    const area = areas.find((a) => a.code === areaCode) ?? chosen
    if (!area) return { title: 'MARAC queue', noAreas: true }
    const view = (await queueView(db, area.code))!
    // every case the page names, audited under the area and under each case
    const shown = [...view.waiting.map((w) => w.id), ...view.meetings.flatMap((m) => m.cases.map((c) => c.id)), ...view.overTarget.map((o) => o.id)]
    await auditCasesShown(db, {
      actor: actorOfRequest(request), origin: originOf(request), action: 'marac-queue-view', recordType: 'marac-area', recordId: area.code, shownOn: { page: 'queue', area: area.code }
    }, shown)
    const meetingChoices = view.meetings.map((m) => ({ value: m.date, text: `${longDate(m.date)} (${m.booked} of ${m.capacity} booked)` }))
    return {
      title: `MARAC queue: ${area.name}`, width: 'full', view,
      areas: areas.map((a) => ({ code: a.code, name: a.name, current: a.code === area.code })),
      rhythmText: `${area.rhythm === 'fortnightly' ? 'Fortnightly' : 'Monthly'} meetings of up to ${plural(area.capacity, 'case', 'cases')}; target wait ${days(area.targetWaitDays)}`,
      waitingRows: view.waiting.map((w) => [
        { html: `<a class="govuk-link" href="/marac/referrals/${w.id}">${escapeHtml(w.victimName)}</a>${w.highPriority ? ' <strong class="govuk-tag govuk-tag--red">High priority</strong>' : ''}${w.repeat ? ' <strong class="govuk-tag govuk-tag--orange">Repeat</strong>' : ''}` },
        { text: longDate(w.referredOn) }, { text: w.referringOrganisation }, { text: String(w.children) },
        { text: days(w.waitingDays), format: 'numeric' }, { text: w.proposedMeeting ? longDate(w.proposedMeeting) : 'No meeting has room' },
        { html: `<strong class="govuk-tag govuk-tag--${IDVA_COLOUR[w.idvaContact.status]}">${IDVA_TEXT[w.idvaContact.status]}</strong> by ${longDate(w.idvaContact.due)}` }
      ]),
      meetingRows: view.meetings.map((m) => [
        m.id ? { html: `<a class="govuk-link" href="/marac/coordinator/meetings/${m.id}">${longDate(m.date)}</a>` } : { text: longDate(m.date) }, { text: `${m.booked} of ${m.capacity}`, format: 'numeric' },
        { text: m.proposed ? `+${m.proposed}` : '0', format: 'numeric' }, { text: m.overCapacity ? 'Over capacity' : String(m.spare), format: 'numeric' }
      ]),
      allocatedCases: view.meetings.flatMap((m) => m.cases.map((c) => ({ ...c, meetingText: longDate(m.date), referredText: longDate(c.referredOn) }))),
      overTargetRows: view.overTarget.map((o) => [
        { html: `<a class="govuk-link" href="/marac/referrals/${o.id}">${escapeHtml(o.victimName)}</a>` },
        { text: days(o.waitingDays), format: 'numeric' }, { text: o.stillWaiting ? 'Waiting for a meeting' : `To be heard ${longDate(o.hearingOn)}` }
      ]),
      trendRows: view.trend.map((t) => [
        { text: new Date(`${t.month}-01T12:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }) },
        { text: String(t.cases), format: 'numeric' }, { text: t.cases ? days(t.averageWait) : '–', format: 'numeric' },
        { text: t.cases ? days(t.longestWait) : '–', format: 'numeric' }, { text: String(t.overTarget), format: 'numeric' }
      ]),
      meetingChoices, area,
      ...extra
    }
  }

  /** What was just done, from a neutral key in the address (never a name): the words are made here. */
  const doneMessage = async (request: FastifyRequest): Promise<string | undefined> => {
    const query = request.query as Record<string, string | undefined>
    const count = (value: string | undefined) => (typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : undefined)
    const allocated = count(query.allocated)
    if (allocated !== undefined) {
      const unallocated = count(query.unallocated) ?? 0
      return `${plural(allocated, 'case', 'cases')} allocated to meetings${unallocated ? `; ${plural(unallocated, 'case is', 'cases are')} still waiting: no meeting has room` : ''}`
    }
    const moved = query.moved
    if (typeof moved !== 'string' || !UUID.test(moved)) return undefined
    const detail = await findReferral(db, moved)
    if (!detail?.hearing) return undefined
    const view = await queueView(db, detail.area.code)
    const over = view?.meetings.find((m) => m.date === detail.hearing!.on)?.overCapacity ?? false
    return `${detail.referral.victim.firstName} ${detail.referral.victim.lastName}’s case moved to the meeting on ${longDate(detail.hearing.on)}${over ? ' (that meeting is now over capacity)' : ''}`
  }

  app.get('/marac/queue', { config: { access: manage } }, async (request, reply) => {
    return reply.view('marac/views/queue.njk', await queuePage(request, { done: await doneMessage(request) }))
  })

  app.post('/marac/queue/allocate', { config: { access: manage } }, async (request, reply) => {
    const areaCode = text(request.body, 'area')
    const result = await allocateQueue(db, { areaCode, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok) return reply.code(400).view('marac/views/queue.njk', await queuePage(request, { errorList: [{ text: result.message, href: '#allocate' }] }, areaCode))
    return reply.redirect(`/marac/queue?area=${encodeURIComponent(areaCode)}&allocated=${result.allocated}&unallocated=${result.unallocated}`, 303)
  })

  app.post('/marac/referrals/:id/move', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const detail = await findReferral(db, id)
    if (!detail) return reply.callNotFound()
    const meeting = text(request.body, 'meeting')
    const reason = text(request.body, 'reason')
    const result = await moveCase(db, { referralId: id, meeting, reason, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok) {
      const errors = new FormErrors()
      for (const error of result.errors) {
        const field = error.field === 'reason' ? `reason-${id}` : `meeting-${id}`
        errors.add(field, error.field === 'reason' ? 'Enter the reason for moving the case' : error.field === 'meeting' ? `Select a meeting: ${error.message}` : error.message)
      }
      return reply.code(400).view('marac/views/queue.njk', await queuePage(request, { errors: errors.byField, errorList: errors.summary, values: { [`meeting-${id}`]: meeting, [`reason-${id}`]: reason } }, detail.area.code))
    }
    // a neutral key in the address: the victim's name would end up in logs and the browser's history
    return reply.redirect(`/marac/queue?area=${encodeURIComponent(detail.area.code)}&moved=${id}`, 303)
  })

  // ---- the quarterly return

  const returnPage = async (request: FastifyRequest) => {
    const { areas, area } = await areaFrom(request)
    const raw = (request.query as Record<string, string | undefined>).quarter
    const quarterText = typeof raw === 'string' && raw.trim() ? raw.trim().slice(0, 20) : quarterOf(todayInLondon())
    let error: string | undefined
    let ret: MaracReturn | undefined
    try {
      parseQuarter(quarterText)
      if (area) ret = await maracReturn(db, area.code, quarterText)
    } catch (e) {
      if (!(e instanceof ReturnInputError)) throw e
      error = e.message
    }
    return { areas, area, quarterText, error, ret }
  }

  app.get('/marac/returns', { config: { access: returns } }, async (request, reply) => {
    const { areas, area, quarterText, error, ret } = await returnPage(request)
    const countRows = (c: MaracReturn['totals']) => [
      ['Cases', c.cases], ['Repeat cases', c.repeats], ['Repeat rate', c.repeatRate === null ? '–' : `${c.repeatRate}%`],
      ['Children in the households', c.childrenInHouseholds], ['BAME victims', c.bameVictims], ['LGBT+ victims', c.lgbtVictims],
      ['Disabled victims', c.disabledVictims], ['Male victims', c.maleVictims], ['Victims aged 16 or 17', c.victimsAged16To17],
      ['Cases with a perpetrator aged 17 or under', c.casesWithPerpetratorAged17OrUnder]
    ].map(([key, value]) => [{ text: String(key) }, { text: String(value), format: 'numeric' }])
    return reply.code(error ? 400 : 200).view('marac/views/return.njk', {
      title: 'MARAC quarterly return', width: 'full',
      areaItems: areas.map((a) => ({ value: a.code, text: `${a.name} (${a.council})`, selected: a.code === area?.code })),
      quarterText, area, ret,
      errors: error ? { quarter: error } : {}, errorList: error ? [{ text: error, href: '#quarter' }] : [],
      totalsRows: ret ? countRows(ret.totals) : [],
      agencyRows: ret ? ret.totals.referralsByAgency.map((a) => [{ text: a.agency }, { text: String(a.cases), format: 'numeric' }]) : [],
      meetings: ret ? ret.meetings.map((m) => ({ dateText: longDate(m.date), rows: countRows(m.counts) })) : [],
      rateText: ret ? `${ret.rate.casesPer10kAdultWomen} cases per 10,000 adult women in the 12 months from ${longDate(ret.rate.from)} to ${longDate(ret.rate.to)} (SafeLives recommends ${ret.rate.recommended})` : '',
      quarterRange: ret ? `${longDate(ret.quarter.start)} to ${longDate(ret.quarter.end)}` : '',
      csvHref: ret ? `/marac/returns/return.csv?area=${encodeURIComponent(ret.areaCode)}&quarter=${encodeURIComponent(ret.quarter.label)}` : ''
    })
  })

  app.get('/marac/returns/return.csv', { config: { access: returns } }, async (request, reply) => {
    const { error, ret } = await returnPage(request)
    if (error || !ret) return reply.code(400).type('text/plain; charset=utf-8').send(error ?? 'There is no MARAC area')
    await appendAudit(db, { actor: actorOfRequest(request), action: 'marac-return-export', recordType: 'marac-area', recordId: ret.areaCode, ...originOf(request), details: { quarter: ret.quarter.label } })
    return reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="marac-return-${ret.areaCode}-${ret.quarter.label}.csv"`)
      .header('Cache-Control', 'no-store').send(returnCsv(ret))
  })
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}
