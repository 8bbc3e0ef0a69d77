// Who may do what. A permission is a resource x action, granted to a role with a data scope.
// Deny by default: a role has only what is listed here, and every route names what it needs.

export const ORGANISATION_TYPES = {
  police_force: 'Police force',
  local_authority: 'Local authority',
  childrens_social_care: "Children's social care",
  education_setting: 'Education setting',
  health: 'Health',
  probation: 'Probation',
  housing: 'Housing',
  idva_service: 'Specialist domestic abuse service (IDVA)',
  voluntary_sector: 'Voluntary sector'
} as const
export type OrganisationType = keyof typeof ORGANISATION_TYPES

export type Scope = 'own' | 'team' | 'organisation' | 'partnership'
const SCOPE_ORDER: Scope[] = ['own', 'team', 'organisation', 'partnership']

/** Resources and whether they hold information about children (their holders must use a second factor). */
export const RESOURCES = {
  'child-record': { aboutChildren: true },
  'audit-trail': { aboutChildren: true },
  'user': { aboutChildren: false },
  'api-key': { aboutChildren: false },
  'organisation': { aboutChildren: false },
  'mail-outbox': { aboutChildren: false },
  'client-identity': { aboutChildren: false },
  'pupil-roll': { aboutChildren: true },
  'match-review': { aboutChildren: true },
  /** the support directory's entries (services, not people) */
  'directory': { aboutChildren: false },
  /** where children's support is missing, by area and age (figures, never a child) */
  'provision-gap': { aboutChildren: false },
  /** an Operation Encompass notification to a setting (or the council): the child, the incident, what the school did */
  'encompass-notification': { aboutChildren: true },
  /** the council's Operation Encompass view: every notification's status, late and unacknowledged ones */
  'encompass-dashboard': { aboutChildren: true },
  /** settings' sign-up, and who their Designated Safeguarding Lead and deputies are */
  'encompass-setting': { aboutChildren: false },
  /** a domestic abuse risk checklist (or graded tool) about a victim, listing the children it concerns */
  'risk-assessment': { aboutChildren: true },
  /** a referral to MARAC and the case it becomes: victim, perpetrators, children, criteria, consent */
  'marac-case': { aboutChildren: true },
  /** a MARAC meeting: its agenda, each agency's research, actions and minutes */
  'marac-meeting': { aboutChildren: true },
  /** the quarterly MARAC return: counts, never a person */
  'marac-return': { aboutChildren: false }
} as const
export type Resource = keyof typeof RESOURCES
export type Action = 'view' | 'create' | 'change' | 'manage' | 'search'
export type Permission = `${Resource}:${Action}`

interface Grant { permission: Permission, scope: Scope }
interface RoleDefinition {
  label: string
  description: string
  grants: Grant[]
  /** the kinds of organisation whose people may hold this role; undefined: any */
  heldAt?: OrganisationType[]
}

const grant = (permission: Permission, scope: Scope): Grant => ({ permission, scope })

export const ROLES = {
  partnership_admin: {
    label: 'Partnership administrator',
    heldAt: ['local_authority', 'childrens_social_care'],
    description: 'Sets up organisations, invites people and issues API keys across the partnership',
    grants: [grant('user:manage', 'partnership'), grant('api-key:manage', 'partnership'), grant('organisation:view', 'partnership'), grant('mail-outbox:view', 'partnership')]
  },
  organisation_admin: {
    label: 'Organisation administrator',
    description: "Invites people and issues API keys for their own organisation",
    // at a school, this is who names the Designated Safeguarding Lead and deputies
    grants: [grant('user:manage', 'organisation'), grant('api-key:manage', 'organisation'), grant('encompass-setting:manage', 'organisation')]
  },
  auditor: {
    label: 'Auditor',
    heldAt: ['local_authority', 'childrens_social_care', 'police_force'],
    description: 'Searches the audit trail: who did what, and who has looked at a child',
    grants: [grant('audit-trail:search', 'partnership')]
  },
  police_officer: {
    label: 'Police staff',
    heldAt: ['police_force'],
    description: 'Records domestic abuse incidents and the children in them, completes risk assessments and refers to MARAC',
    grants: [
      grant('child-record:create', 'organisation'), grant('child-record:view', 'organisation'),
      grant('risk-assessment:create', 'organisation'), grant('risk-assessment:view', 'organisation'), grant('marac-case:create', 'organisation')
    ]
  },
  encompass_officer: {
    label: 'Operation Encompass officer',
    heldAt: ['local_authority', 'police_force'],
    description: "The council's Encompass team: reviews matches and makes sure every notification lands",
    grants: [
      grant('child-record:view', 'partnership'), grant('child-record:change', 'partnership'),
      grant('pupil-roll:manage', 'partnership'), grant('match-review:change', 'partnership'),
      // the council's own inbox (children with no setting) and the partnership-wide view
      grant('encompass-notification:view', 'organisation'), grant('encompass-notification:change', 'organisation'),
      grant('encompass-dashboard:view', 'partnership'), grant('encompass-setting:manage', 'partnership')
    ]
  },
  designated_safeguarding_lead: {
    label: 'Designated Safeguarding Lead',
    heldAt: ['education_setting'],
    description: "Receives Operation Encompass notifications for their own setting's children (deputies hold this role too)",
    grants: [grant('child-record:view', 'organisation'), grant('encompass-notification:view', 'organisation'), grant('encompass-notification:change', 'organisation')]
  },
  marac_coordinator: {
    label: 'MARAC coordinator',
    heldAt: ['local_authority', 'police_force', 'idva_service'],
    description: 'Runs the MARAC queue, meetings, actions and minutes',
    grants: [
      grant('child-record:view', 'partnership'), grant('child-record:change', 'partnership'),
      grant('risk-assessment:view', 'partnership'), grant('marac-case:create', 'partnership'), grant('marac-case:manage', 'partnership'),
      grant('marac-meeting:manage', 'partnership'), grant('marac-return:view', 'partnership')
    ]
  },
  idva: {
    label: 'Independent Domestic Violence Adviser',
    heldAt: ['idva_service', 'voluntary_sector'],
    description: 'Supports the victim and represents them at MARAC',
    grants: [
      grant('child-record:view', 'team'), grant('risk-assessment:create', 'team'), grant('risk-assessment:view', 'team'),
      grant('marac-case:create', 'organisation'), grant('marac-meeting:view', 'organisation'), grant('marac-meeting:change', 'organisation')
    ]
  },
  social_worker: {
    label: 'Social worker',
    heldAt: ['childrens_social_care', 'local_authority'],
    description: "Children's social care and MASH practitioners",
    grants: [
      grant('child-record:view', 'organisation'), grant('child-record:change', 'own'),
      grant('risk-assessment:create', 'own'), grant('risk-assessment:view', 'organisation'), grant('marac-case:create', 'organisation')
    ]
  },
  partnership_lead: {
    label: 'Partnership lead',
    description: 'Sees partnership dashboards and figures, never individual children',
    grants: [grant('provision-gap:view', 'partnership'), grant('marac-return:view', 'partnership')]
  },
  marac_representative: {
    label: 'MARAC representative',
    description: "Represents their agency at MARAC: sees only the cases on the agenda of meetings they attend, records their agency's research and actions",
    grants: [grant('marac-meeting:view', 'organisation'), grant('marac-meeting:change', 'organisation'), grant('marac-case:create', 'organisation')]
  },
  marac_observer: {
    label: 'MARAC observer',
    description: 'Attends a MARAC meeting to observe: confirms the confidentiality statement before seeing its agenda, records nothing',
    grants: [grant('marac-meeting:view', 'own')]
  },
  directory_editor: {
    label: 'Directory editor',
    heldAt: ['local_authority', 'voluntary_sector', 'health'],
    description: "Keeps the public support directory and the practitioners' directory of children's support current",
    grants: [grant('directory:manage', 'partnership')]
  }
} as const satisfies Record<string, RoleDefinition>
export type Role = keyof typeof ROLES
export const ROLE_NAMES = Object.keys(ROLES) as Role[]

/** Whether someone at this kind of organisation may hold the role (a school's staff cannot be police staff). */
export function roleFitsOrganisation(role: Role, type: OrganisationType): boolean {
  const heldAt = (ROLES[role] as RoleDefinition).heldAt
  return heldAt === undefined || heldAt.includes(type)
}

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value)
}

/** The broadest scope each permission is held with, across a person's roles. */
export function grantsOf(roles: readonly string[]): Map<Permission, Scope> {
  const grants = new Map<Permission, Scope>()
  for (const role of roles) {
    if (!isRole(role)) continue
    for (const { permission, scope } of ROLES[role].grants as readonly Grant[]) {
      const held = grants.get(permission)
      if (!held || SCOPE_ORDER.indexOf(scope) > SCOPE_ORDER.indexOf(held)) grants.set(permission, scope)
    }
  }
  return grants
}

/** Roles that can see information about children must enrol a second factor. */
export function needsSecondFactor(roles: readonly string[]): boolean {
  return [...grantsOf(roles).keys()].some((permission) => RESOURCES[permission.split(':')[0] as Resource].aboutChildren)
}

/** What a machine client (an organisation's API key) may do, by the kind of organisation it belongs to. */
export const MACHINE_GRANTS: Record<OrganisationType, Permission[]> = {
  police_force: ['client-identity:view', 'child-record:create', 'marac-case:create'],
  local_authority: ['client-identity:view', 'marac-case:create'],
  childrens_social_care: ['client-identity:view', 'marac-case:create'],
  education_setting: ['client-identity:view', 'encompass-notification:view', 'encompass-notification:change'],
  health: ['client-identity:view', 'marac-case:create'],
  probation: ['client-identity:view', 'marac-case:create'],
  housing: ['client-identity:view', 'marac-case:create'],
  idva_service: ['client-identity:view', 'marac-case:create'],
  voluntary_sector: ['client-identity:view']
}

/** How a route is protected; every route must declare one, or the server does not start. */
export type RouteAccess =
  | 'public'
  /** signed in with password, second factor still to do */
  | 'second-factor'
  /** any fully signed-in person */
  | 'signed-in'
  | { permission: Permission }
  | { api: Permission }
