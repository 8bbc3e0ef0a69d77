// What a police force sees of its own incidents: the list, newest first, and one incident as received
// with where each child went. Every query is scoped to the force (another force's incident is not there).
import type { Db } from '../platform/db/database.ts'
import type { IncidentReport } from './incident.ts'
import type { Route } from './routing.ts'

export const INCIDENTS_PAGE_SIZE = 25

export interface IncidentListRow {
  id: string
  policeReference: string
  occurredAt: Date
  receivedAt: Date
  amendedAt: Date | null
  version: number
  routes: Route[]
}

/** The force's incidents, newest received first, a page at a time. */
export async function forceIncidents(db: Db, policeOrganisationId: string, page: number, pageSize = INCIDENTS_PAGE_SIZE): Promise<{ rows: IncidentListRow[], total: number }> {
  const base = db.selectFrom('incident').where('police_organisation_id', '=', policeOrganisationId)
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const incidents = await base.select(['id', 'police_reference', 'occurred_at', 'received_at', 'amended_at', 'version'])
    .orderBy('received_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute()
  const children = incidents.length === 0
    ? []
    : await db.selectFrom('incident_child').select(['incident_id', 'route']).where('incident_id', 'in', incidents.map((i) => i.id)).orderBy('incident_id').orderBy('position').execute()
  return {
    total: Number(total),
    rows: incidents.map((incident) => ({
      id: incident.id, policeReference: incident.police_reference, occurredAt: incident.occurred_at, receivedAt: incident.received_at,
      amendedAt: incident.amended_at, version: incident.version,
      routes: children.filter((child) => child.incident_id === incident.id).map((child) => child.route)
    }))
  }
}

export interface ChildOutcome {
  position: number
  route: Route
  settingUrn: string | null
  settingName: string | null
  deadline: Date | null
  reason: string | null
}

export interface ForceIncident {
  id: string
  policeReference: string
  version: number
  receivedAt: Date
  amendedAt: Date | null
  report: IncidentReport
  children: ChildOutcome[]
}

/** One of the force's incidents, as last received, and where each child went; undefined if it is not the force's. */
export async function forceIncident(db: Db, policeOrganisationId: string, id: string): Promise<ForceIncident | undefined> {
  const incident = await db.selectFrom('incident').select(['id', 'police_reference', 'version', 'received_at', 'amended_at', 'report'])
    .where('id', '=', id).where('police_organisation_id', '=', policeOrganisationId).executeTakeFirst()
  if (!incident) return undefined
  const children = await db.selectFrom('incident_child as c')
    .leftJoin('education_setting as s', 's.urn', 'c.setting_urn')
    .leftJoin('organisation as o', 'o.id', 's.organisation_id')
    .select(['c.position', 'c.route', 'c.setting_urn', 'c.deadline', 'c.reason', 'o.name as setting_name'])
    .where('c.incident_id', '=', id).orderBy('c.position').execute()
  return {
    id: incident.id, policeReference: incident.police_reference, version: incident.version, receivedAt: incident.received_at, amendedAt: incident.amended_at,
    report: incident.report as unknown as IncidentReport,
    children: children.map((c) => ({ position: c.position, route: c.route, settingUrn: c.setting_urn, settingName: c.setting_name, deadline: c.deadline, reason: c.reason }))
  }
}
