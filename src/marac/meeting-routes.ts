// MARAC meetings in the browser. Attendees (marac-meeting:view): an agency's representatives see only
// the cases on the agenda of a meeting their agency attends and record its research; an observer first
// confirms the confidentiality statement. The coordinator (marac-meeting:manage): attendees, research
// received, actions (agency, owner, due date), earlier actions closed, the IDVA's contact, the minutes
// (issued within 3 working days) and their print-ready page. Thin: the work is in meetings.ts.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, originOf, signedInSession } from '../platform/http/server.ts'
import { FormErrors, text, uuidParams } from '../platform/http/forms.ts'
import { longDate, todayInLondon } from '../platform/time/dates.ts'
import type { FieldError } from '../platform/validation.ts'
import { listAreas } from './cases.ts'
import { auditCasesShown } from './case-views.ts'
import { ACTION_OUTCOMES, CONFIDENTIALITY_STATEMENT } from './meeting-rules.ts'
import {
  actionsOf, addAction, addAttendee, agencies, agendaOf, areaMeetings, attendanceOf, attendeesOf, closeAction, confirmConfidentiality, earlierActions,
  findMeeting, issueMinutes, meetingsFor, minutesTimeliness, recordIdvaContact, recordResearch, researchOf
} from './meetings.ts'
import type { MeetingSummary } from './meetings.ts'

const view = { permission: 'marac-meeting:view' } as const
const change = { permission: 'marac-meeting:change' } as const
const manage = { permission: 'marac-meeting:manage' } as const

const STATUS_TEXT: Record<string, string> = { 'done on time': 'Done on time', 'done late': 'Done late', due: 'Due', overdue: 'Overdue' }
const STATUS_COLOUR: Record<string, string> = { 'done on time': 'green', 'done late': 'orange', due: 'blue', overdue: 'red' }

const dateFromForm = (body: unknown, prefix: string) => {
  const [d, m, y] = [text(body, `${prefix}-day`), text(body, `${prefix}-month`), text(body, `${prefix}-year`)]
  return d || m || y ? `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : ''
}

export const maracMeetingRoutes: RouteRegistrar = (app, services) => {
  const db = services.db

  // ---- attendees

  app.get('/marac/meetings', { config: { access: view } }, async (request, reply) => {
    const meetings = await meetingsFor(db, signedInSession(request).user)
    return reply.view('marac/views/meetings.njk', {
      title: 'MARAC meetings',
      meetings: meetings.map((m) => ({ ...m, dateText: longDate(m.meetsOn) }))
    })
  })

  const agendaPage = async (request: FastifyRequest, reply: FastifyReply, status = 200, extra: Record<string, unknown> = {}) => {
    const { id } = request.params as { id: string }
    const user = signedInSession(request).user
    const meeting = await findMeeting(db, id)
    const attendance = meeting ? await attendanceOf(db, id, user) : undefined
    if (!meeting || !attendance) return reply.callNotFound()
    if (attendance.kind === 'observer' && !attendance.confirmed) {
      return reply.code(status).view('marac/views/confidentiality.njk', { title: 'Confidentiality statement', meeting, dateText: longDate(meeting.meetsOn), statement: CONFIDENTIALITY_STATEMENT, ...extra })
    }
    const agenda = await agendaOf(db, id)
    await auditCasesShown(db, {
      actor: actorOfRequest(request), origin: originOf(request), action: 'marac-agenda-view', recordType: 'marac-meeting', recordId: id,
      details: { as: attendance.kind }, shownOn: { page: 'agenda', meetingId: id }
    }, agenda.map((c) => c.referralId))
    const isAgency = attendance.kind === 'agency'
    const research = isAgency ? await researchOf(db, id, user.organisationId) : []
    const actions = isAgency ? await actionsOf(db, id, user.organisationId) : []
    return reply.code(status).view('marac/views/agenda.njk', {
      title: `MARAC meeting on ${longDate(meeting.meetsOn)}`, width: 'full', meeting, dateText: longDate(meeting.meetsOn), isAgency,
      canRecord: isAgency && user.grants.has('marac-meeting:change'), organisationName: user.organisationName,
      minutesIssued: meeting.minutesIssuedAt !== null,
      cases: agenda.map((c) => {
        const mine = research.find((r) => r.referralId === c.referralId)
        return {
          referralId: c.referralId, victimName: `${c.referral.victim.firstName} ${c.referral.victim.lastName}`, victimDob: longDate(c.referral.victim.dateOfBirth),
          repeat: c.repeat, highPriority: c.highPriority,
          perpetrators: c.referral.perpetrators.map((p) => `${p.firstName} ${p.lastName}${p.dateOfBirth ? `, born ${longDate(p.dateOfBirth)}` : ''} (${p.relationshipToVictim})`),
          children: c.referral.children.map((k, i) => ({ index: i, name: `${k.firstName} ${k.lastName}`, dob: longDate(k.dateOfBirth), research: mine?.children.find((x) => x.child === i)?.text ?? '' })),
          research: mine ? { victim: mine.victim, perpetrator: mine.perpetrator, toShare: mine.toShare, recordedAt: mine.recordedAt } : undefined,
          actions: actions.filter((a) => a.referralId === c.referralId).map((a) => ({ ...a, dueText: longDate(a.dueOn) }))
        }
      }),
      ...extra
    })
  }

  app.get('/marac/meetings/:id', { schema: uuidParams, config: { access: view } }, (request, reply) => agendaPage(request, reply))

  app.post('/marac/meetings/:id/confidentiality', { schema: uuidParams, config: { access: view } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const attendance = await attendanceOf(db, id, signedInSession(request).user)
    if (!attendance) return reply.callNotFound()
    if (attendance.kind === 'observer' && !attendance.confirmed) {
      if (text(request.body, 'confirm') !== 'yes') {
        return agendaPage(request, reply, 400, { errors: { confirm: 'Confirm that you will keep the meeting confidential' }, errorList: [{ text: 'Confirm that you will keep the meeting confidential', href: '#confirm' }] })
      }
      await confirmConfidentiality(db, { attendeeId: attendance.attendeeId, meetingId: id, actor: actorOfRequest(request), origin: originOf(request) })
    }
    return reply.redirect(`/marac/meetings/${id}`, 303)
  })

  app.post('/marac/meetings/:id/research', { schema: uuidParams, config: { access: change } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const user = signedInSession(request).user
    const attendance = await attendanceOf(db, id, user)
    if (!attendance || attendance.kind !== 'agency') return reply.callNotFound()
    const referralId = text(request.body, 'referralId')
    // the case must be one on this meeting's agenda, checked before the id goes near a query
    const agenda = await agendaOf(db, id)
    if (!agenda.some((c) => c.referralId === referralId)) {
      const message = 'Record research only on a case on this meeting’s agenda'
      return agendaPage(request, reply, 400, { errors: { referralId: message }, errorList: [{ text: message, href: agenda[0] ? `#case-${agenda[0].referralId}` : '#main-content' }] })
    }
    const children = Array.from({ length: 20 }, (_, i) => text(request.body, `child-${i}`))
    const result = await recordResearch(db, {
      meetingId: id, referralId, organisationId: user.organisationId, actor: actorOfRequest(request), origin: originOf(request),
      research: { victim: text(request.body, 'victim'), perpetrator: text(request.body, 'perpetrator'), children, toShare: text(request.body, 'toShare') }
    })
    if (!result) return reply.callNotFound() // taken off the agenda meanwhile
    if (!result.ok) {
      const errors = new FormErrors()
      for (const error of result.errors) errors.add(`${error.field.replace(/^children\[(\d+)\]$/, 'child-$1')}-${referralId}`, `Research: the ${error.field} ${error.message}`)
      return agendaPage(request, reply, 400, { errors: errors.byField, errorList: errors.summary })
    }
    return reply.redirect(`/marac/meetings/${id}#case-${referralId}`, 303)
  })

  // ---- the coordinator

  app.get('/marac/coordinator/meetings', { config: { access: manage } }, async (request, reply) => {
    const areas = await listAreas(db)
    const wanted = (request.query as Record<string, string | undefined>).area
    const area = areas.find((a) => a.code === wanted) ?? areas[0]
    const meetings = area ? await areaMeetings(db, area.code) : []
    return reply.view('marac/views/coordinator-meetings.njk', {
      title: 'MARAC meetings', area, areas: areas.map((a) => ({ code: a.code, name: a.name, current: a.code === area?.code })),
      rows: meetings.map((m) => [
        { html: `<a class="govuk-link" href="/marac/coordinator/meetings/${m.id}">${longDate(m.meetsOn)}</a>` }, { text: String(m.cases), format: 'numeric' },
        { text: m.minutesIssuedAt ? 'Issued' : 'Not issued' }
      ])
    })
  })

  const coordinatorPage = async (request: FastifyRequest, reply: FastifyReply, status = 200, problems: { errors?: Record<string, string>, errorList?: Array<{ text: string, href: string }>, values?: Record<string, string> } = {}) => {
    const { id } = request.params as { id: string }
    const meeting = await findMeeting(db, id)
    if (!meeting) return reply.callNotFound()
    const agenda = await agendaOf(db, id)
    const research = await researchOf(db, id)
    const actions = await actionsOf(db, id)
    const earlier = await earlierActions(db, meeting)
    const attendees = await attendeesOf(db, id)
    const organisations = await agencies(db)
    const minutes = minutesTimeliness(meeting)
    // the agenda's cases, and the earlier meetings' cases whose open actions come back here
    await auditCasesShown(db, {
      actor: actorOfRequest(request), origin: originOf(request), action: 'marac-meeting-view', recordType: 'marac-meeting', recordId: id, shownOn: { page: 'meeting', meetingId: id }
    }, [...agenda.map((c) => c.referralId), ...earlier.map((a) => a.referralId)])
    return reply.code(status).view('marac/views/coordinator-meeting.njk', {
      title: `MARAC meeting on ${longDate(meeting.meetsOn)}`, width: 'full', meeting, dateText: longDate(meeting.meetsOn),
      minutesDueText: longDate(minutes.due), minutesStatus: { text: STATUS_TEXT[minutes.status], colour: STATUS_COLOUR[minutes.status] },
      held: meeting.meetsOn <= todayInLondon(),
      attendees,
      agencyItems: [{ value: '', text: 'Select an agency' }, ...organisations.map((o) => ({ value: o.id, text: o.name, selected: problems.values?.who === o.id }))],
      cases: agenda.map((c) => ({
        referralId: c.referralId, victimName: `${c.referral.victim.firstName} ${c.referral.victim.lastName}`, repeat: c.repeat, highPriority: c.highPriority,
        children: c.referral.children.map((k) => `${k.firstName} ${k.lastName}`),
        idva: { dueText: longDate(c.idva.due), status: STATUS_TEXT[c.idva.status], colour: STATUS_COLOUR[c.idva.status], contactedText: c.idvaContactedOn ? longDate(c.idvaContactedOn) : '' },
        research: research.filter((r) => r.referralId === c.referralId).map((r) => ({
          ...r, children: r.children.filter((x) => x.text).map((x) => ({ name: c.referral.children[x.child] ? `${c.referral.children[x.child]!.firstName} ${c.referral.children[x.child]!.lastName}` : `Child ${x.child + 1}`, text: x.text }))
        })),
        actions: actions.filter((a) => a.referralId === c.referralId).map((a) => ({ ...a, dueText: longDate(a.dueOn) }))
      })),
      caseItems: [{ value: '', text: 'Select a case' }, ...agenda.map((c) => ({ value: c.referralId, text: `${c.referral.victim.firstName} ${c.referral.victim.lastName}`, selected: problems.values?.referralId === c.referralId }))],
      earlier: earlier.map((a) => ({ ...a, dueText: longDate(a.dueOn), meetingText: longDate(a.meetingOn), outcomeText: a.status === 'open' ? undefined : ACTION_OUTCOMES[a.status] })),
      outcomes: Object.entries(ACTION_OUTCOMES).map(([value, label]) => ({ value, text: label })),
      errors: problems.errors ?? {}, errorList: problems.errorList ?? [], values: problems.values ?? {}
    })
  }

  const refuse = (request: FastifyRequest, reply: FastifyReply, errors: FieldError[], fieldIds: Record<string, string>, words: Record<string, string>, values: Record<string, string> = {}) => {
    const form = new FormErrors()
    for (const error of errors) form.add(fieldIds[error.field] ?? Object.values(fieldIds)[0]!, words[error.field] ?? `The ${error.field} ${error.message}`)
    return coordinatorPage(request, reply, 400, { errors: form.byField, errorList: form.summary, values })
  }

  const meetingOr404 = async (request: FastifyRequest): Promise<MeetingSummary | undefined> => findMeeting(db, (request.params as { id: string }).id)

  app.get('/marac/coordinator/meetings/:id', { schema: uuidParams, config: { access: manage } }, (request, reply) => coordinatorPage(request, reply))

  app.post('/marac/coordinator/meetings/:id/attendees', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const meeting = await meetingOr404(request)
    if (!meeting) return reply.callNotFound()
    const kind = text(request.body, 'kind')
    const who = kind === 'observer' ? text(request.body, 'observer') : text(request.body, 'agency')
    const result = await addAttendee(db, { meetingId: meeting.id, kind, who, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok) return refuse(request, reply, result.errors, { who: kind === 'observer' ? 'observer' : 'agency', kind: 'kind' }, {}, { who })
    return reply.redirect(`/marac/coordinator/meetings/${meeting.id}#attendees`, 303)
  })

  app.post('/marac/coordinator/meetings/:id/actions', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const meeting = await meetingOr404(request)
    if (!meeting) return reply.callNotFound()
    const values = { referralId: text(request.body, 'referralId'), organisationId: text(request.body, 'organisationId'), owner: text(request.body, 'owner'), description: text(request.body, 'description'), dueOn: dateFromForm(request.body, 'dueOn') }
    const result = await addAction(db, { meeting, action: values, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok) {
      return refuse(request, reply, result.errors, { referralId: 'referralId', organisationId: 'organisationId', owner: 'owner', description: 'description', dueOn: 'dueOn-day' }, {
        referralId: 'Select the case', organisationId: 'Select the agency', owner: 'Enter who will do it', description: 'Enter what will be done'
      }, { ...values, 'dueOn-day': text(request.body, 'dueOn-day'), 'dueOn-month': text(request.body, 'dueOn-month'), 'dueOn-year': text(request.body, 'dueOn-year') })
    }
    return reply.redirect(`/marac/coordinator/meetings/${meeting.id}#actions`, 303)
  })

  app.post('/marac/coordinator/meetings/:id/actions/close', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const meeting = await meetingOr404(request)
    if (!meeting) return reply.callNotFound()
    const actionId = text(request.body, 'actionId')
    const result = await closeAction(db, { meeting, actionId, outcome: text(request.body, 'outcome'), actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok) return refuse(request, reply, result.errors, { outcome: `outcome-${actionId}`, actionId: `outcome-${actionId}` }, { outcome: 'Select how the action ended' })
    return reply.redirect(`/marac/coordinator/meetings/${meeting.id}#earlier`, 303)
  })

  app.post('/marac/coordinator/meetings/:id/idva-contact', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const meeting = await meetingOr404(request)
    if (!meeting) return reply.callNotFound()
    const referralId = text(request.body, 'referralId')
    const on = dateFromForm(request.body, `idva-${referralId}`)
    const onAgenda = (await agendaOf(db, meeting.id)).some((c) => c.referralId === referralId)
    if (!onAgenda) return reply.callNotFound()
    const result = await recordIdvaContact(db, { referralId, on, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok) return refuse(request, reply, result.errors, { on: `idva-${referralId}-day`, referralId: `idva-${referralId}-day` }, { on: `The date of the IDVA’s contact ${result.errors[0]?.message ?? ''}` })
    return reply.redirect(`/marac/coordinator/meetings/${meeting.id}#case-${referralId}`, 303)
  })

  app.post('/marac/coordinator/meetings/:id/minutes', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const meeting = await meetingOr404(request)
    if (!meeting) return reply.callNotFound()
    const result = await issueMinutes(db, { meeting, actor: actorOfRequest(request), origin: originOf(request) })
    if (!result.ok) return refuse(request, reply, result.errors, { minutes: 'issue-minutes' }, { minutes: `The minutes ${result.errors[0]?.message ?? ''}` })
    return reply.redirect(`/marac/coordinator/meetings/${meeting.id}/minutes`, 303)
  })

  app.get('/marac/coordinator/meetings/:id/minutes', { schema: uuidParams, config: { access: manage } }, async (request, reply) => {
    const meeting = await meetingOr404(request)
    if (!meeting || !meeting.minutes) return reply.callNotFound()
    const minutes = meeting.minutes
    // the minutes name the agenda's cases and the earlier actions' cases (kept with the minutes; worked out for minutes issued before they were)
    const named = minutes.referralIds ?? [
      ...(await agendaOf(db, meeting.id)).map((c) => c.referralId),
      ...(await earlierActions(db, meeting)).filter((a) => a.closedAtMeetingId === meeting.id).map((a) => a.referralId)
    ]
    await auditCasesShown(db, {
      actor: actorOfRequest(request), origin: originOf(request), action: 'marac-minutes-view', recordType: 'marac-meeting', recordId: meeting.id, shownOn: { page: 'minutes', meetingId: meeting.id }
    }, named)
    const check = minutesTimeliness(meeting)
    return reply.view('marac/views/minutes.njk', {
      title: `Minutes of the MARAC meeting on ${longDate(minutes.meetingOn)}`, width: 'full', meeting, minutes, dateText: longDate(minutes.meetingOn),
      issuedText: new Date(minutes.issuedAt).toLocaleString('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
      dueText: longDate(check.due), onTime: check.status === 'done on time',
      cases: minutes.cases.map((c) => ({ ...c, actions: c.actions.map((a) => ({ ...a, dueText: longDate(a.dueOn) })) }))
    })
  })
}
