// Incidents in, for police staff in the browser: a form for one incident, a CSV upload for a batch (all
// or nothing, every problem named by row), the force's own incidents, and one incident with where each
// child went (each view audited). The intake behind them is the API's: the same checks, the same
// routing, and the same report sent again creates nothing.
import type { FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, originOf, signedInSession } from '../platform/http/server.ts'
import { FormErrors, pageNumber, pagination, uuidParams } from '../platform/http/forms.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { londonDateTimeText, longDate } from '../platform/time/dates.ts'
import { validateIncident } from './incident.ts'
import type { IntakeAnswer } from './intake.ts'
import type { Route } from './routing.ts'
import { CHILD_SLOTS, FORM_FIELDS, formProblemsFrom, formValues, incidentFromForm } from './incident-form.ts'
import type { FormProblem } from './incident-form.ts'
import { EXAMPLE_INCIDENT_CSV, INCIDENT_CSV_COLUMNS, INCIDENT_CSV_COLUMN_HELP, MAX_CSV_ROWS, REQUIRED_CSV_COLUMNS, checkIncidentCsv, decodeCsvBytes, problemText, problemsFromFieldErrors } from './incident-csv.ts'
import type { CsvIncident, CsvProblem } from './incident-csv.ts'
import { INCIDENTS_PAGE_SIZE, forceIncident, forceIncidents } from './police-incidents.ts'
import type { ChildOutcome } from './police-incidents.ts'

// police staff who record incidents see their force's incidents; no one else needs these pages
const create = { permission: 'child-record:create' } as const

/** The largest CSV an upload takes (a thousand children is well under 1 MB). */
export const MAX_CSV_BYTES = 5 * 1024 * 1024
/** Problems listed on the page; the count says how many more there are. */
const MAX_LISTED_PROBLEMS = 100
const TEMPLATE_PATH = '/incidents/upload/example-incidents.csv'

const number = (n: number) => n.toLocaleString('en-GB')
const plural = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`

const ROUTE_WORDS: Record<Route, { tag: string, colour: string, summary: [string, string] }> = {
  setting: { tag: 'Sent to school', colour: 'green', summary: ['sent to a school', 'sent to schools'] },
  review: { tag: 'Being checked', colour: 'yellow', summary: ['being checked by the council', 'being checked by the council'] },
  'local-authority': { tag: 'Sent to the council', colour: 'blue', summary: ['sent to the council', 'sent to the council'] },
  excluded: { tag: 'Not sent', colour: 'grey', summary: ['not sent', 'not sent'] }
}

/** "2 sent to schools, 1 sent to the council" */
function routesSummary(routes: Route[]): string {
  const order: Route[] = ['setting', 'review', 'local-authority', 'excluded']
  return order.map((route) => {
    const n = routes.filter((r) => r === route).length
    return n === 0 ? '' : `${number(n)} ${ROUTE_WORDS[route].summary[n === 1 ? 0 : 1]}`
  }).filter(Boolean).join(', ')
}

const RISK_GRADE_TEXT: Record<string, string> = { standard: 'Standard', medium: 'Medium', high: 'High' }
const GENDER_TEXT: Record<string, string> = { F: 'Female', M: 'Male', X: 'X (another gender)' }
const yesNo = (value: boolean | undefined | null) => (value === true ? 'Yes' : value === false ? 'No' : 'Not recorded')

function outcomeForPage(child: ChildOutcome) {
  const words = ROUTE_WORDS[child.route]
  let explanation = child.reason ?? ''
  if (child.route === 'setting') explanation = 'The school’s Designated Safeguarding Lead is told before the deadline.'
  if (child.route === 'review') explanation = child.reason ?? 'The council’s Operation Encompass team is checking which child this is on the school rolls, and then tells the school.'
  return {
    tag: words.tag, colour: words.colour,
    setting: child.settingUrn ? `${child.settingName ?? 'Education setting'} (URN ${child.settingUrn})` : '',
    deadline: londonDateTimeText(child.deadline),
    explanation
  }
}

export const policeIncidentRoutes: RouteRegistrar = (app, services) => {
  const organisationOf = (request: FastifyRequest) => signedInSession(request).user.organisationId

  // ---- the force's incidents

  app.get('/incidents', { config: { access: create } }, async (request, reply) => {
    const page = pageNumber(request.query)
    const result = await forceIncidents(services.db, organisationOf(request), page)
    return reply.view('encompass/views/police/incidents.njk', {
      title: 'Incidents', width: 'full', total: result.total, totalText: plural(result.total, 'incident', 'incidents'),
      rows: result.rows.map((row) => ({ ...row, children: plural(row.routes.length, 'child', 'children'), outcome: routesSummary(row.routes) })),
      pagination: pagination('/incidents', {}, page, INCIDENTS_PAGE_SIZE, result.total)
    })
  })

  // ---- one incident: as received, and where each child went (audited: it names children)

  app.get('/incidents/:id', { schema: uuidParams, config: { access: create } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const incident = await forceIncident(services.db, organisationOf(request), id)
    if (!incident) return reply.callNotFound()
    await appendAudit(services.db, {
      actor: actorOfRequest(request), action: 'incident-view', recordType: 'incident', recordId: id, ...originOf(request),
      details: { policeReference: incident.policeReference, version: incident.version }
    })
    const sent = (request.query as Record<string, string | undefined>).sent
    const report = incident.report
    const adults = report.adults.map((adult) => ({
      label: adult.label, name: `${adult.firstName} ${adult.lastName}`, dateOfBirth: adult.dateOfBirth ? longDate(adult.dateOfBirth) : 'Not recorded'
    }))
    const children = report.children.map((child, position) => {
      const outcome = incident.children.find((c) => c.position === position)
      const rows: Array<[string, string]> = [
        ['Date of birth', longDate(child.dateOfBirth)],
        ['Gender', child.gender ? GENDER_TEXT[child.gender] ?? child.gender : 'Not recorded'],
        ['Address', [child.address, child.postcode].filter(Boolean).join(', ') || 'Not recorded'],
        ['Relationship to adult A', child.relationshipToA ?? 'Not recorded'],
        ['Relationship to adult B', child.relationshipToB ?? 'Not recorded'],
        ['Present', yesNo(child.present)],
        ['Spoken to', yesNo(child.spokenTo)],
        ['In their words', child.voiceOfChild ?? 'Not recorded'],
        ['School (officer’s note)', child.educationSettingUrn ? `URN ${child.educationSettingUrn}` : 'Not recorded']
      ]
      return {
        number: position + 1,
        name: [child.firstName, child.middleNames, child.lastName].filter(Boolean).join(' '),
        rows: rows.map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
        outcome: outcome ? outcomeForPage(outcome) : undefined
      }
    })
    return reply.view('encompass/views/police/incident.njk', {
      title: sent ? 'Incident received' : `Incident ${incident.policeReference}`, width: 'full',
      sent: sent === 'created' || sent === 'amended' || sent === 'unchanged' ? sent : undefined,
      incident: {
        ...incident,
        occurredText: londonDateTimeText(report.occurredAt), receivedText: londonDateTimeText(incident.receivedAt), amendedText: londonDateTimeText(incident.amendedAt),
        riskGradeText: report.riskGrade ? RISK_GRADE_TEXT[report.riskGrade] : 'Not assessed', location: report.location, circumstances: report.circumstances
      },
      adults, children, childrenSummary: routesSummary(incident.children.map((c) => c.route))
    })
  })

  // ---- one incident, through the form

  const formPage = (values: Record<string, string>, problems: FormProblem[] = []) => {
    const errors = new FormErrors()
    const order = (field: string) => { const at = FORM_FIELDS.indexOf(field); return at === -1 ? FORM_FIELDS.length : at }
    for (const problem of [...problems].sort((a, b) => order(a.field) - order(b.field))) errors.add(problem.field, problem.message)
    return {
      title: 'Record an incident', values, errors: errors.byField, errorList: errors.summary,
      slots: Array.from({ length: CHILD_SLOTS }, (_, i) => i + 1)
    }
  }

  app.get('/incidents/new', { config: { access: create } }, async (_request, reply) => {
    return reply.view('encompass/views/police/incident-form.njk', formPage({}))
  })

  app.post('/incidents/new', { config: { access: create } }, async (request, reply) => {
    const values = formValues(request.body)
    const form = incidentFromForm(values)
    if (form.problems.length === 0) {
      const result = await services.incidents.receive(organisationOf(request), form.body, actorOfRequest(request), originOf(request))
      if (result.ok) {
        // the same form sent again (a retry, or the back button) is the same report: nothing new is created
        const sent = result.created ? 'created' : result.amended ? 'amended' : 'unchanged'
        return reply.redirect(`/incidents/${result.answer.id}?sent=${sent}`, 303)
      }
      return reply.code(400).view('encompass/views/police/incident-form.njk', formPage(values, formProblemsFrom(result.errors, form.slots, form.adultLabels)))
    }
    // the form's own problems, and whatever else the intake's check finds, all at once
    const checked = validateIncident(form.body)
    const more = checked.ok ? [] : formProblemsFrom(checked.errors, form.slots, form.adultLabels)
    return reply.code(400).view('encompass/views/police/incident-form.njk', formPage(values, [...form.problems, ...more]))
  })

  // ---- a batch, through a CSV upload: all or nothing

  const uploadPage = (extra: Record<string, unknown> = {}) => ({
    title: 'Upload incidents', width: 'two-thirds', templatePath: TEMPLATE_PATH, maxRows: number(MAX_CSV_ROWS), maxMegabytes: MAX_CSV_BYTES / 1024 / 1024,
    columns: INCIDENT_CSV_COLUMNS.map((column) => ({ name: column, help: INCIDENT_CSV_COLUMN_HELP[column], required: REQUIRED_CSV_COLUMNS.includes(column) })),
    ...extra
  })

  app.get('/incidents/upload', { config: { access: create } }, async (_request, reply) => {
    return reply.view('encompass/views/police/incident-upload.njk', uploadPage())
  })

  app.get(TEMPLATE_PATH, { config: { access: create } }, async (_request, reply) => {
    return reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="example-incidents.csv"')
      .header('Cache-Control', 'no-store').send(EXAMPLE_INCIDENT_CSV)
  })

  app.post('/incidents/upload', { config: { access: create } }, async (request, reply) => {
    const refuse = (message: string, problems: string[] = []) => {
      const listed = problems.slice(0, MAX_LISTED_PROBLEMS)
      const errorList = problems.length === 0
        ? [{ text: message, href: '#file' }]
        : [
            { text: message, href: '#file' },
            ...listed.map((text) => ({ text, href: '#file' })),
            ...(problems.length > listed.length ? [{ text: `And ${plural(problems.length - listed.length, 'more problem', 'more problems')} not listed here`, href: '#file' }] : [])
          ]
      const inline = problems.length === 0 ? message : `${message}. Put ${problems.length === 1 ? 'it' : 'them'} right (see the list at the top of the page) and upload the file again`
      return reply.code(400).view('encompass/views/police/incident-upload.njk', uploadPage({ errors: { file: inline }, errorList }))
    }

    const upload = request.upload
    if (!upload || !upload.filename) return refuse('Select a CSV file of incidents')
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of upload.file as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_CSV_BYTES) return refuse(`The file must be smaller than ${MAX_CSV_BYTES / 1024 / 1024} MB: split it into smaller files`)
      chunks.push(chunk)
    }
    if (size === 0) return refuse('The selected file is empty')

    const checked = checkIncidentCsv(decodeCsvBytes(Buffer.concat(chunks)))
    const refuseProblems = (problems: CsvProblem[]) =>
      refuse(`The file has ${plural(problems.length, 'problem', 'problems')}, so no incidents were stored`, problems.map(problemText))
    if (!checked.ok) return refuseProblems(checked.problems)

    const incidents: CsvIncident[] = checked.incidents
    const result = await services.incidents.receiveBatch(organisationOf(request), incidents.map((incident) => incident.body), actorOfRequest(request), originOf(request))
    if (!result.ok) {
      return refuseProblems(result.errors.flatMap((error) => {
        const incident = incidents[error.index]
        return incident ? problemsFromFieldErrors(incident, error.errors) : [{ rows: [], message: error.errors.map((e) => `${e.field} ${e.message}`).join('; ') }]
      }))
    }
    const outcomes = result.results.map((one, i) => {
      const incident = incidents[i]!
      const answer: IntakeAnswer = one.answer
      return {
        id: answer.id, policeReference: incident.policeReference,
        rows: incident.rows.length === 1 ? `Row ${incident.rows[0]}` : `Rows ${incident.rows.join(', ')}`,
        outcome: one.created ? 'New' : one.amended ? `Updated (version ${answer.version})` : 'Already received: nothing changed',
        children: routesSummary(answer.children.map((child) => child.route))
      }
    })
    const childCount = result.results.reduce((n, one) => n + one.answer.children.length, 0)
    return reply.view('encompass/views/police/incident-upload.njk', uploadPage({
      title: 'Incidents received', width: 'full', received: true, outcomes,
      headline: `${plural(outcomes.length, 'incident', 'incidents')}, ${plural(childCount, 'child', 'children')}`,
      created: result.results.filter((one) => one.created).length,
      amended: result.results.filter((one) => one.amended).length,
      unchanged: result.results.filter((one) => !one.created && !one.amended).length
    }))
  })
}
