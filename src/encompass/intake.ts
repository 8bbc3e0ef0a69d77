// Incidents in: a police force's report is checked, each child found on the rolls and routed, with the
// deadline (the start of the next school day). The same report sent again changes nothing and gets the
// same answer; a changed one is an amendment, kept as a new version and audited.
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { RollMatcher } from '../rolls/roll-matcher.ts'
import { queueForReview } from '../rolls/review.ts'
import { successorUrn } from '../organisations/gias.ts'
import { SettingCalendarError, councilNextSchoolDay, nextSchoolDayFor } from '../organisations/calendars.ts'
import { londonWallClock } from '../platform/time/london-time.ts'
import { reportHash, validateIncident } from './incident.ts'
import type { FieldError, IncidentChild, IncidentReport } from './incident.ts'
import { routeChild } from './routing.ts'
import type { Route, RoutingPolicy } from './routing.ts'

export interface ChildAnswer { route: Route, settingUrn?: string, deadline?: string, reason?: string }
export interface IntakeAnswer { id: string, version: number, children: ChildAnswer[] }

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

const LOCK = 748_303

export class IncidentIntake {
  readonly #db: Db
  readonly #matcher: RollMatcher
  readonly #policy: RoutingPolicy

  constructor(db: Db, matcher: RollMatcher, policy: RoutingPolicy) {
    this.#db = db
    this.#matcher = matcher
    this.#policy = policy
  }

  /** Where each child goes, worked out before anything is written (matching reads the database). */
  async #route(report: IncidentReport, receivedAt: Date): Promise<RoutedChild[]> {
    const incidentDate = londonWallClock(new Date(report.occurredAt)).date
    const routed: RoutedChild[] = []
    for (const [position, child] of report.children.entries()) {
      const match = await this.#matcher.match({
        id: String(position), firstName: child.firstName, middleNames: child.middleNames, lastName: child.lastName,
        dateOfBirth: child.dateOfBirth, gender: child.gender, address: child.address, postcode: child.postcode
      })
      const best = match.band === 'none' ? undefined : match.pupils[0]
      const matchedUrn = match.band === 'auto' && best ? await successorUrn(this.#db, best.urn) : undefined
      const decision = routeChild({ dateOfBirth: child.dateOfBirth, incidentDate, band: match.band, matchedUrn, officerUrn: child.educationSettingUrn, homeEducated: false }, this.#policy)
      let deadline: Date | undefined
      if (decision.route === 'setting' && decision.urn) {
        deadline = await nextSchoolDayFor(this.#db, decision.urn, receivedAt).catch(async (error: unknown) => {
          if (error instanceof SettingCalendarError) return await councilNextSchoolDay(this.#db, receivedAt)
          throw error
        })
      } else if (decision.route !== 'excluded') {
        deadline = await councilNextSchoolDay(this.#db, receivedAt)
      }
      routed.push({
        child, route: decision.route, settingUrn: decision.urn, deadline, reason: decision.reason,
        pupilId: decision.route === 'setting' ? best?.id : undefined,
        probability: match.best?.probability, match: decision.route === 'review' ? match : undefined
      })
    }
    return routed
  }

  async #answer(incidentId: string, version: number): Promise<IntakeAnswer> {
    const children = await this.#db.selectFrom('incident_child').selectAll().where('incident_id', '=', incidentId).orderBy('position').execute()
    return {
      id: incidentId,
      version,
      children: children.map((c) => ({
        route: c.route,
        ...(c.setting_urn ? { settingUrn: c.setting_urn } : {}),
        ...(c.deadline ? { deadline: c.deadline.toISOString() } : {}),
        ...(c.reason ? { reason: c.reason } : {})
      }))
    }
  }

  async receive(policeOrganisationId: string, body: unknown, actor: Actor, origin: { ip?: string, requestId?: string }, now = new Date()): Promise<IntakeResult> {
    const checked = validateIncident(body, now)
    if (!checked.ok) return { ok: false, errors: checked.errors }
    const report = checked.report
    const hash = reportHash(report)

    const existing = await this.#db.selectFrom('incident').select(['id', 'version', 'content_hash'])
      .where('police_organisation_id', '=', policeOrganisationId).where('police_reference', '=', report.policeReference).executeTakeFirst()
    if (existing && existing.content_hash === hash) {
      return { ok: true, created: false, amended: false, answer: await this.#answer(existing.id, existing.version) }
    }

    const routed = await this.#route(report, now)
    const outcome = await this.#db.transaction().execute(async (trx) => {
      // one writer per force at a time, so a retry racing the original cannot make two incidents
      await trx.selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(LOCK), eb.fn('hashtext', [eb.val(policeOrganisationId)])]).as('locked')).execute()
      const current = await trx.selectFrom('incident').select(['id', 'version', 'content_hash'])
        .where('police_organisation_id', '=', policeOrganisationId).where('police_reference', '=', report.policeReference).executeTakeFirst()
      if (current && current.content_hash === hash) return { id: current.id, version: current.version, created: false, amended: false }
      const version = current ? current.version + 1 : 1
      const reportJson = JSON.stringify(report)
      let id: string
      if (current) {
        id = current.id
        await trx.updateTable('incident').set({ version, content_hash: hash, report: reportJson, occurred_at: report.occurredAt, amended_at: now }).where('id', '=', id).execute()
        await trx.deleteFrom('incident_child').where('incident_id', '=', id).execute()
      } else {
        id = (await trx.insertInto('incident').values({
          police_organisation_id: policeOrganisationId, police_reference: report.policeReference, content_hash: hash, report: reportJson, occurred_at: report.occurredAt, amended_at: null
        }).returning('id').executeTakeFirstOrThrow()).id
      }
      await trx.insertInto('incident_version').values({ incident_id: id, version, content_hash: hash, report: reportJson }).execute()
      for (const [position, r] of routed.entries()) {
        const reviewId = r.match
          ? await queueForReview(trx, 'Police incident', `${report.policeReference} v${version} child ${position + 1}`, {
            firstName: r.child.firstName, middleNames: r.child.middleNames ?? '', lastName: r.child.lastName, dateOfBirth: r.child.dateOfBirth,
            gender: r.child.gender ?? '', address: r.child.address ?? '', postcode: r.child.postcode ?? ''
          }, r.match)
          : null
        await trx.insertInto('incident_child').values({
          incident_id: id, position, version, route: r.route, setting_urn: r.settingUrn ?? null, deadline: r.deadline ?? null,
          reason: r.reason ?? null, pupil_id: r.pupilId ?? null, match_probability: r.probability ?? null, match_review_id: reviewId
        }).execute()
      }
      await appendAudit(trx, {
        actor, action: current ? 'incident-amend' : 'incident-create', recordType: 'incident', recordId: id, ...origin,
        details: { policeReference: report.policeReference, version, routes: routed.map((r) => r.route) }
      })
      return { id, version, created: !current, amended: Boolean(current) }
    })
    return { ok: true, created: outcome.created, amended: outcome.amended, answer: await this.#answer(outcome.id, outcome.version) }
  }
}
