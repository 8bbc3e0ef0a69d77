// MARAC meetings (pure): checking an agency's research and an action, how an action is closed, and the
// minutes generated from what was recorded. Errors name each field, like the referral's.
import { isIsoDate } from '../platform/time/dates.ts'
import type { FieldError } from '../platform/validation.ts'

export const ACTION_OUTCOMES = {
  done: 'Done',
  'circumstances-changed': 'Not needed: circumstances changed',
  'not-done': 'The agency did not do it'
} as const
export type ActionOutcome = keyof typeof ACTION_OUTCOMES

export const CONFIDENTIALITY_STATEMENT = 'I will keep everything I see and hear about this meeting confidential. I will not record, copy or share any information about the people discussed, and I understand that doing so may put a victim or a child at greater risk.'

export interface ResearchInput { victim: string, perpetrator: string, children: string[], toShare: string }

export function validateResearch(input: ResearchInput, childCount: number): { ok: true, research: ResearchInput } | { ok: false, errors: FieldError[] } {
  const errors: FieldError[] = []
  const clean = (value: string | undefined) => (value ?? '').trim()
  const research = { victim: clean(input.victim), perpetrator: clean(input.perpetrator), children: Array.from({ length: childCount }, (_, i) => clean(input.children[i])), toShare: clean(input.toShare) }
  for (const [field, value] of [['victim', research.victim], ['perpetrator', research.perpetrator], ['toShare', research.toShare]] as const) {
    if (value.length > 4000) errors.push({ field, message: 'must be 4,000 characters or fewer' })
  }
  research.children.forEach((value, i) => { if (value.length > 4000) errors.push({ field: `children[${i}]`, message: 'must be 4,000 characters or fewer' }) })
  if (!research.victim && !research.perpetrator && !research.toShare && research.children.every((c) => !c)) {
    errors.push({ field: 'victim', message: 'is required: record what your agency’s records show (or that they show nothing)' })
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, research }
}

export interface ActionInput { referralId: string, organisationId: string, owner: string, description: string, dueOn: string }

/** An action agreed at a meeting on `meetingOn`: an agency, a named owner, what to do, and a due date on or after the meeting. */
export function validateAction(input: ActionInput, meetingOn: string, agendaIds: readonly string[], organisationIds: readonly string[]): { ok: true, action: ActionInput } | { ok: false, errors: FieldError[] } {
  const errors: FieldError[] = []
  const action = { referralId: input.referralId.trim(), organisationId: input.organisationId.trim(), owner: input.owner.trim(), description: input.description.trim(), dueOn: input.dueOn.trim() }
  if (!agendaIds.includes(action.referralId)) errors.push({ field: 'referralId', message: 'must be a case on this meeting’s agenda' })
  if (!organisationIds.includes(action.organisationId)) errors.push({ field: 'organisationId', message: 'must be one of the partnership’s agencies' })
  if (!action.owner) errors.push({ field: 'owner', message: 'is required: the person who will do it' })
  else if (action.owner.length > 200) errors.push({ field: 'owner', message: 'must be 200 characters or fewer' })
  if (!action.description) errors.push({ field: 'description', message: 'is required: what will be done' })
  else if (action.description.length > 2000) errors.push({ field: 'description', message: 'must be 2,000 characters or fewer' })
  if (!action.dueOn) errors.push({ field: 'dueOn', message: 'is required' })
  else if (!isIsoDate(action.dueOn)) errors.push({ field: 'dueOn', message: 'must be a real date' })
  else if (action.dueOn < meetingOn) errors.push({ field: 'dueOn', message: `must be on or after the meeting (${meetingOn})` })
  return errors.length > 0 ? { ok: false, errors } : { ok: true, action }
}

export interface MinutesCase {
  victimName: string
  perpetrators: string[]
  children: string[]
  repeat: boolean
  shared: Array<{ agency: string, text: string }>
  actions: Array<{ agency: string, owner: string, description: string, dueOn: string }>
}

export interface Minutes {
  areaName: string
  meetingOn: string
  issuedAt: string
  agencies: string[]
  cases: MinutesCase[]
  earlierActions: Array<{ victimName: string, agency: string, description: string, outcome: string }>
  /** the referrals the minutes name (their cases and earlier actions), for auditing who reads them; absent in minutes issued before it was kept */
  referralIds?: string[]
}
