// Incidents in: a police force's report is checked, each child found on the rolls and routed, with the
// deadline (the start of the next school day). The same report sent again changes nothing and gets the
// same answer; a changed one is an amendment, kept as a new version and audited.
import type { Db } from '../platform/db/database.ts'
import { appendAuditMany } from '../platform/audit/audit.ts'
import type { Actor, AuditEntry } from '../platform/audit/audit.ts'
import type { RollMatcher } from '../rolls/roll-matcher.ts'
import type { HomeEducationRegister } from './home-education.ts'
import { queueForReview } from '../rolls/review.ts'
import type { Decision } from '../rolls/review.ts'
import { SuccessorCache, successorUrn } from '../organisations/gias.ts'
import { SchoolDayCache, SettingCalendarError, councilNextSchoolDay, nextSchoolDayFor } from '../organisations/calendars.ts'
import { londonWallClock } from '../platform/time/london-time.ts'
import { reportHash, validateIncident } from './incident.ts'
import type { IncidentChild, IncidentReport } from './incident.ts'
import type { FieldError } from '../platform/validation.ts'
import { routeChild } from './routing.ts'
import type { Route, RoutingPolicy } from './routing.ts'
import { deadlineUnder } from './school-days.ts'
import type { DeadlineRule } from './school-days.ts'
import type { EncompassNotifications } from './notifications.ts'
import { GroupCommit } from '../platform/db/group-commit.ts'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { LOCKS } from '../platform/db/locks.ts'

export interface IntakePolicy extends RoutingPolicy {
  deadlineRule: DeadlineRule
}

export interface ChildAnswer { route: Route, settingUrn?: string, deadline?: string, reason?: string }
export interface IntakeAnswer { id: string, version: number, children: ChildAnswer[] }

type Origin = { ip?: string, requestId?: string }

type Prepared =
  | { kind: 'invalid', errors: FieldError[] }
  | { kind: 'store', report: IncidentReport, hash: string, routed: RoutedChild[] }

/** A checked and routed report to be written, with who sent it. */
interface Submission {
  policeOrganisationId: string
  prepared: Extract<Prepared, { kind: 'store' }>
  actor: Actor
  origin: Origin
  now: Date
}

/** A report about to be written: a new incident, or an amendment to the one stored. */
interface Written { submission: Submission, id: string, version: number, reportJson: string, isNew: boolean }

/** What writing a report did: the same report again is neither created nor amended, and its answer is read back after. */
interface Stored { id: string, version: number, created: boolean, amended: boolean, answer: IntakeAnswer | undefined }

/** How reports are written: transactions at once, and the most reports in one (see GroupCommit). */
export interface IntakeWriting { writers: number, batch: number }

export type BatchResult =
  | { ok: true, results: Array<{ created: boolean, amended: boolean, answer: IntakeAnswer }> }
  | { ok: false, errors: Array<{ index: number, errors: FieldError[] }> }

export type IntakeResult =
  | { ok: true, created: boolean, amended: boolean, answer: IntakeAnswer }
  | { ok: false, errors: FieldError[] }

interface RoutedChild {
  child: IncidentChild
  route: Route
  settingUrn: string | undefined
  deadline: Date | undefined
  reason: string | undefined
  pupilId: string | undefined
  probability: number | undefined
  match: Awaited<ReturnType<RollMatcher['match']>> | undefined
}

const LOCK = LOCKS.incidentReference
/** Reports whose rows go in one statement: a batch of up to 32 from the API in one, a CSV of a thousand in slices. */
const WRITE_SLICE = 100

export class IncidentIntake {
  readonly #db: Db
  readonly #matcher: RollMatcher
  readonly #homeEducation: HomeEducationRegister
  readonly #policy: IntakePolicy
  readonly #notifications: EncompassNotifications
  /** this instance's calendars and successor links, read once and kept a short time (see SchoolDayCache) */
  readonly #schoolDays = new SchoolDayCache()
  readonly #successors = new SuccessorCache()
  /** reports received one at a time (the API, the form) and written together when they come faster than transactions finish */
  readonly #writer: GroupCommit<Submission, Stored>

  constructor(db: Db, matcher: RollMatcher, homeEducation: HomeEducationRegister, notifications: EncompassNotifications, policy: IntakePolicy, writing: IntakeWriting = { writers: 1, batch: 32 }) {
    this.#db = db
    this.#matcher = matcher
    this.#homeEducation = homeEducation
    this.#notifications = notifications
    this.#policy = policy
    this.#writer = new GroupCommit((submissions) => this.#db.transaction().execute((trx) => this.#storeMany(trx, submissions)), {
      ...writing, key: (s) => referenceKey(s.policeOrganisationId, s.prepared.report.policeReference)
    })
  }

  /** Where each child goes, worked out before anything is written (matching reads the database). */
  async #route(report: IncidentReport): Promise<RoutedChild[]> {
    const occurredAt = new Date(report.occurredAt)
    const incidentDate = londonWallClock(new Date(report.occurredAt)).date
    const routed: RoutedChild[] = []
    // one look at the rolls, and at the home education register, for the whole report
    const matcher = await this.#matcher.matcher()
    const isHomeEducated = await this.#homeEducation.isHomeEducated()
    for (const [position, child] of report.children.entries()) {
      const person = {
        id: String(position), firstName: child.firstName, middleNames: child.middleNames, lastName: child.lastName,
        dateOfBirth: child.dateOfBirth, gender: child.gender, address: child.address, postcode: child.postcode
      }
      const match = matcher(person)
      const best = match.band === 'none' ? undefined : match.pupils[0]
      const matchedUrn = match.band === 'auto' && best ? await this.#successors.successorUrn(this.#db, best.urn) : undefined
      const decision = routeChild({ dateOfBirth: child.dateOfBirth, incidentDate, band: match.band, matchedUrn, officerUrn: child.educationSettingUrn, homeEducated: isHomeEducated(person), onRollNow: best?.leftOn === null }, this.#policy)
      const deadline = await this.#deadline(this.#db, decision.route, decision.urn, occurredAt, this.#schoolDays)
      routed.push({
        child, route: decision.route, settingUrn: decision.urn, deadline, reason: decision.reason,
        pupilId: decision.route === 'setting' ? best?.id : undefined,
        probability: match.best?.probability, match: decision.route === 'review' ? match : undefined
      })
    }
    return routed
  }

  /**
   * The deadline under the partnership's rule: the start of the setting's next school day (its own
   * calendar, else the council's; the council's for a child not routed to a setting) after the incident
   * the police attended. Counted from the incident, not from when Harbour received the report, so a
   * report that reaches Harbour late shows as late rather than moving its own deadline.
   */
  async #deadline(db: Db, route: Route, urn: string | undefined, incidentAt: Date, cache?: SchoolDayCache): Promise<Date | undefined> {
    if (route === 'excluded') return undefined
    const council = async () => cache ? await cache.councilNextSchoolDay(db, incidentAt) : await councilNextSchoolDay(db, incidentAt)
    const nextDay = route === 'setting' && urn
      ? await (cache ? cache.nextSchoolDayFor(db, urn, incidentAt) : nextSchoolDayFor(db, urn, incidentAt)).catch(async (error: unknown) => {
        if (error instanceof SettingCalendarError) return await council()
        throw error
      })
      : await council()
    return deadlineUnder(this.#policy.deadlineRule, nextDay)
  }

  /**
   * The council's review decision on a child held back from an incident, in the decision's transaction:
   * the pupil chosen routes the child to that pupil's setting; "none of these" or "not on any roll" to the
   * council. The deadline is still counted from the incident.
   */
  async reviewDecided(trx: Db, reviewId: string, decision: Decision, now = new Date()): Promise<void> {
    const held = await trx.selectFrom('incident_child as c').innerJoin('incident as i', 'i.id', 'c.incident_id')
      .select(['c.position', 'c.incident_id', 'i.version', 'i.report'])
      .where('c.match_review_id', '=', reviewId).where('c.route', '=', 'review').executeTakeFirst()
    // a roll import's review, or an incident since amended (its children were routed afresh)
    if (!held) return
    const report = held.report as unknown as IncidentReport
    const child = report.children[held.position]
    if (!child) return
    let route: Route = 'local-authority'
    let settingUrn: string | undefined
    let pupilId: string | undefined
    let reason: string | undefined = 'Not found on any school roll (decided in review)'
    if (decision.kind === 'accept') {
      const pupil = await trx.selectFrom('pupil').select(['id', 'urn']).where('id', '=', decision.pupilId).executeTakeFirstOrThrow()
      route = 'setting'
      settingUrn = await successorUrn(trx, pupil.urn)
      pupilId = pupil.id
      reason = undefined
    }
    const deadline = await this.#deadline(trx, route, settingUrn, new Date(report.occurredAt))
    await trx.updateTable('incident_child').set({ route, setting_urn: settingUrn ?? null, deadline: deadline ?? null, reason: reason ?? null, pupil_id: pupilId ?? null })
      .where('incident_id', '=', held.incident_id).where('position', '=', held.position).execute()
    await this.#notifications.record(trx, { id: held.incident_id, version: held.version, report }, [{ position: held.position, child, route, settingUrn, deadline, pupilId }], now, { complete: false })
  }

  /** The answer for what was just written (the children as routed), without reading it back. */
  #answerFor(id: string, version: number, routed: Array<Pick<RoutedChild, 'route' | 'settingUrn' | 'deadline' | 'reason'>>): IntakeAnswer {
    return {
      id,
      version,
      children: routed.map((c) => ({
        route: c.route,
        ...(c.settingUrn ? { settingUrn: c.settingUrn } : {}),
        ...(c.deadline ? { deadline: c.deadline.toISOString() } : {}),
        ...(c.reason ? { reason: c.reason } : {})
      }))
    }
  }

  async #answer(incidentId: string, version: number): Promise<IntakeAnswer> {
    const children = await this.#db.selectFrom('incident_child').selectAll().where('incident_id', '=', incidentId).orderBy('position').execute()
    return this.#answerFor(incidentId, version, children.map((c) => ({ route: c.route, settingUrn: c.setting_urn ?? undefined, deadline: c.deadline ?? undefined, reason: c.reason ?? undefined })))
  }

  /** Checks a report and works out where each child goes (reading the rolls, the home education register and the calendars, mostly from memory); nothing is written. */
  async #prepare(body: unknown, now: Date): Promise<Prepared> {
    const checked = validateIncident(body, now)
    if (!checked.ok) return { kind: 'invalid', errors: checked.errors }
    const report = checked.report
    return { kind: 'store', report, hash: reportHash(report), routed: await this.#route(report) }
  }

  /**
   * Writes reports in the caller's transaction, all or none: each incident, its version, each child, the
   * review queue, the notifications and the audit, a statement for all of them at each step. A report
   * the same as the one stored changes nothing; a changed one is an amendment. No two may share a police
   * reference.
   */
  async #storeMany(trx: Db, submissions: Submission[]): Promise<Stored[]> {
    // one writer per force and police reference at a time, so a retry racing the original cannot make
    // two incidents (nor two amendments the same version); different incidents are written side by side.
    // The locks are taken in one order (by their number), so two batches cannot wait for each other.
    const keys = submissions.map((s) => referenceKey(s.policeOrganisationId, s.prepared.report.policeReference))
    await sql`select count(pg_advisory_xact_lock(${LOCK}, h)) from (select distinct hashtext(k) as h from unnest(${keys}::text[]) as k order by 1) as locks`.execute(trx)
    const current = new Map((await trx.selectFrom('incident').select(['id', 'version', 'content_hash', 'police_organisation_id', 'police_reference'])
      .where((eb) => eb(eb.refTuple('police_organisation_id', 'police_reference'), 'in', submissions.map((s) => eb.tuple(s.policeOrganisationId, s.prepared.report.policeReference))))
      .execute()).map((row) => [referenceKey(row.police_organisation_id, row.police_reference), row]))
    const stored: Stored[] = []
    const written: Written[] = []
    for (const [i, submission] of submissions.entries()) {
      const { report, hash } = submission.prepared
      const existing = current.get(keys[i]!)
      if (existing && existing.content_hash === hash) {
        stored.push({ id: existing.id, version: existing.version, created: false, amended: false, answer: undefined })
        continue
      }
      const reportJson = JSON.stringify(report)
      const id = existing?.id ?? randomUUID()
      const version = existing ? existing.version + 1 : 1
      if (existing) {
        await trx.updateTable('incident').set({ version, content_hash: hash, report: reportJson, occurred_at: report.occurredAt, amended_at: submission.now }).where('id', '=', id).execute()
        // the children are routed afresh: any still waiting for review under the old version are withdrawn from the queue
        const held = trx.selectFrom('incident_child').select('match_review_id').where('incident_id', '=', id).where('match_review_id', 'is not', null)
        await trx.updateTable('match_review').set({ status: 'withdrawn', decided_at: submission.now, decision_note: `The police amended the incident (version ${version}): the child was routed again` })
          .where('status', '=', 'open').where('id', 'in', held).execute()
        await trx.deleteFrom('incident_child').where('incident_id', '=', id).execute()
      }
      written.push({ submission, id, version, reportJson, isNew: !existing })
      stored.push({ id, version, created: !existing, amended: Boolean(existing), answer: this.#answerFor(id, version, submission.prepared.routed) })
    }
    // the rows in slices, so that no statement carries more values than PostgreSQL takes (a CSV batch can
    // be a thousand reports); the audit entries all at the end, so the audit chain's lock is held only
    // from there to the commit
    const audit: AuditEntry[] = []
    for (let at = 0; at < written.length; at += WRITE_SLICE) audit.push(...await this.#writeRows(trx, written.slice(at, at + WRITE_SLICE)))
    await appendAuditMany(trx, audit)
    return stored
  }

  /** The rows of reports to be written (new ones and amendments), in a few statements for all of them; answers their audit entries. */
  async #writeRows(trx: Db, written: Written[]): Promise<AuditEntry[]> {
    const created = written.filter((w) => w.isNew)
    if (created.length > 0) {
      await trx.insertInto('incident').values(created.map(({ submission: { policeOrganisationId, prepared: { report, hash } }, id, reportJson }) => ({
        id, police_organisation_id: policeOrganisationId, police_reference: report.policeReference, content_hash: hash, report: reportJson, occurred_at: report.occurredAt, amended_at: null
      }))).execute()
    }
    await trx.insertInto('incident_version').values(written.map((w) => ({ incident_id: w.id, version: w.version, content_hash: w.submission.prepared.hash, report: w.reportJson }))).execute()
    const childRows = []
    for (const { submission: { prepared: { report, routed } }, id, version } of written) {
      for (const [position, r] of routed.entries()) {
        const reviewId = r.match
          ? await queueForReview(trx, 'Police incident', `${report.policeReference} v${version} child ${position + 1}`, {
            firstName: r.child.firstName, middleNames: r.child.middleNames ?? '', lastName: r.child.lastName, dateOfBirth: r.child.dateOfBirth,
            gender: r.child.gender ?? '', address: r.child.address ?? '', postcode: r.child.postcode ?? ''
          }, r.match)
          : null
        childRows.push({
          incident_id: id, position, version, route: r.route, setting_urn: r.settingUrn ?? null, deadline: r.deadline ?? null,
          reason: r.reason ?? null, pupil_id: r.pupilId ?? null, match_probability: r.probability ?? null, match_review_id: reviewId
        })
      }
    }
    if (childRows.length > 0) await trx.insertInto('incident_child').values(childRows).execute()
    const notices = await this.#notifications.recordMany(trx, written.map(({ submission: { prepared: { report, routed }, now }, id, version, isNew }) => ({
      incident: { id, version, report }, children: routed.map((r, position) => ({ position, ...r })), isNew, now
    })))
    return written.map(({ submission: { prepared: { report, routed }, actor, origin }, id, version, isNew }, i) => ({
      actor, action: isNew ? 'incident-create' : 'incident-amend', recordType: 'incident', recordId: id, ...origin,
      details: { policeReference: report.policeReference, version, routes: routed.map((r) => r.route), notifications: notices[i] }
    }))
  }

  async receive(policeOrganisationId: string, body: unknown, actor: Actor, origin: Origin, now = new Date()): Promise<IntakeResult> {
    const prepared = await this.#prepare(body, now)
    if (prepared.kind === 'invalid') return { ok: false, errors: prepared.errors }
    const outcome = await this.#writer.submit({ policeOrganisationId, prepared, actor, origin, now })
    return { ok: true, created: outcome.created, amended: outcome.amended, answer: outcome.answer ?? await this.#answer(outcome.id, outcome.version) }
  }

  /**
   * A batch (a CSV upload): every report is checked first, and either all are stored, in one
   * transaction, or none. Errors name the report by its position in the batch.
   */
  async receiveBatch(policeOrganisationId: string, bodies: unknown[], actor: Actor, origin: Origin, now = new Date()): Promise<BatchResult> {
    const submissions: Submission[] = []
    const errors: Array<{ index: number, errors: FieldError[] }> = []
    const seen = new Map<string, number>()
    for (const [index, body] of bodies.entries()) {
      const prepared = await this.#prepare(body, now)
      if (prepared.kind === 'invalid') {
        errors.push({ index, errors: prepared.errors })
        continue
      }
      const reference = prepared.report.policeReference
      const earlier = seen.get(reference)
      if (earlier !== undefined) errors.push({ index, errors: [{ field: 'policeReference', message: `appears twice in this batch (also incident ${earlier + 1})` }] })
      else seen.set(reference, index)
      submissions.push({ policeOrganisationId, prepared, actor, origin, now })
    }
    if (bodies.length === 0) errors.push({ index: 0, errors: [{ field: '(batch)', message: 'has no incidents in it' }] })
    if (errors.length > 0) return { ok: false, errors }
    const outcomes = await this.#db.transaction().execute((trx) => this.#storeMany(trx, submissions))
    const results = []
    for (const outcome of outcomes) results.push({ created: outcome.created, amended: outcome.amended, answer: outcome.answer ?? await this.#answer(outcome.id, outcome.version) })
    return { ok: true, results }
  }
}

/** A police force's reference for an incident, unique within the force. */
function referenceKey(policeOrganisationId: string, policeReference: string): string {
  return `${policeOrganisationId} ${policeReference}`
}
