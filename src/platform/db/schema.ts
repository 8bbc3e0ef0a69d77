// Row types of Harbour's tables, for Kysely. Keep beside the SQL migrations.
import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** a calendar date as YYYY-MM-DD text */
type CalendarDate = string
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

export interface HarbourMigrationTable { name: string, applied_at: Generated<Date> }

export interface OrganisationTable {
  id: Generated<string>
  reference: string
  name: string
  type: string
  urn: string | null
  created_at: Generated<Date>
}

export interface TeamTable { id: Generated<string>, organisation_id: string, name: string }

export interface AppUserTable {
  id: Generated<string>
  organisation_id: string
  team_id: string | null
  email: string
  display_name: string
  password_hash: string | null
  totp_secret: string | null
  totp_enrolled_at: NullableTimestamp
  totp_last_step: number | null
  status: Generated<'invited' | 'active' | 'disabled'>
  is_demo: Generated<boolean>
  failed_sign_ins: Generated<number>
  locked_until: NullableTimestamp
  last_sign_in_at: NullableTimestamp
  created_at: Generated<Date>
}

export interface UserRoleTable { user_id: string, role: string }

export interface InvitationTable {
  token_hash: string
  user_id: string
  created_by_user_id: string | null
  created_at: Generated<Date>
  expires_at: Timestamp
  used_at: NullableTimestamp
}

export interface WebSessionTable {
  id_hash: string
  user_id: string
  stage: 'second-factor' | 'enrol-second-factor' | 'complete'
  second_factor_skipped: Generated<boolean>
  enrolment_secret: string | null
  created_at: Generated<Date>
  last_seen_at: Timestamp
  ip: string | null
}

export interface ApiKeyTable {
  id: Generated<string>
  organisation_id: string
  name: string
  prefix: string
  key_hash: string
  created_by_user_id: string | null
  created_at: Generated<Date>
  revoked_at: NullableTimestamp
  last_used_at: NullableTimestamp
}

export interface AuditEventTable {
  id: ColumnType<number, never, never>
  occurred_at: Timestamp
  actor_user_id: string | null
  actor_api_key_id: string | null
  actor_organisation_id: string | null
  actor_label: string
  action: string
  outcome: 'success' | 'failure' | 'denied'
  record_type: string | null
  record_id: string | null
  purpose: string | null
  ip: string | null
  request_id: string | null
  details: ColumnType<Record<string, unknown>, string, string>
  prev_hash: string
  hash: string
}

export interface MailMessageTable {
  id: Generated<string>
  recipient: string
  subject: string
  body: string
  channel: 'smtp' | 'outbox'
  status: Generated<'queued' | 'sent' | 'failed'>
  attempts: Generated<number>
  last_error: string | null
  created_at: Generated<Date>
  sent_at: NullableTimestamp
}

export interface SettingTable {
  key: string
  value: ColumnType<unknown, string, string>
  updated_at: Generated<Date>
}

export interface RollImportTable {
  id: Generated<string>
  source: 'csv' | 'ctf'
  file_name: string
  as_at: CalendarDate
  urns: string[]
  pupils: number
  joined: number
  left_roll: number
  imported_by_user_id: string | null
  imported_by_label: string
  imported_at: Generated<Date>
}

export interface PupilTable {
  id: Generated<string>
  pupil_ref: string
  upn: string | null
  urn: string
  first_name: string
  middle_names: Generated<string>
  last_name: string
  date_of_birth: CalendarDate | null
  gender: Generated<'F' | 'M' | 'X' | ''>
  address: Generated<string>
  postcode: Generated<string>
  on_roll_since: CalendarDate
  left_on: ColumnType<CalendarDate | null, CalendarDate | null | undefined, CalendarDate | null>
  last_import_id: string
  updated_at: Generated<Date>
}

export interface MatchReviewTable {
  id: Generated<string>
  source: string
  source_ref: string
  child: ColumnType<Record<string, string>, string, string>
  candidates: ColumnType<Array<Record<string, unknown>>, string, string>
  guards: Generated<string[]>
  status: Generated<'open' | 'matched' | 'rejected' | 'not-on-roll' | 'withdrawn'>
  decided_pupil_id: string | null
  decided_by_user_id: string | null
  decided_at: NullableTimestamp
  decision_note: string | null
  labels: ColumnType<Array<Record<string, unknown>> | null, string | null, string | null>
  created_at: Generated<Date>
}

export interface DirectoryAreaTable { code: string, name: string, position: Generated<number> }

export interface DirectoryEntryTable {
  id: Generated<string>
  slug: string
  name: string
  public_listing: Generated<boolean>
  practitioner_listing: Generated<boolean>
  priority: Generated<number>
  summary: string
  audiences: Generated<string[]>
  needs: Generated<string[]>
  languages: Generated<string>
  phone: Generated<string>
  text_number: Generated<string>
  webchat_url: Generated<string>
  website: Generated<string>
  contact_note: Generated<string>
  hours: ColumnType<unknown, string | undefined, string>
  hours_note: Generated<string>
  area_description: Generated<string>
  area_codes: Generated<string[]>
  support_kinds: Generated<string[]>
  min_age: number | null
  max_age: number | null
  referral_criteria: Generated<string>
  how_to_refer: Generated<string>
  waiting_weeks: number | null
  waiting_reported_on: ColumnType<CalendarDate | null, CalendarDate | null | undefined, CalendarDate | null>
  is_demo: Generated<boolean>
  last_checked_on: CalendarDate
  last_checked_by: Generated<string>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface TermCalendarTable {
  id: Generated<string>
  name: string
  owner_organisation_id: string
  is_council_default: Generated<boolean>
  la_code: string | null
  created_at: Generated<Date>
}

export interface EducationSettingTable {
  organisation_id: string
  urn: string
  la_code: Generated<string>
  la_name: Generated<string>
  type_of_establishment: Generated<string>
  status: Generated<string>
  phase: Generated<string>
  statutory_low_age: number | null
  statutory_high_age: number | null
  postcode: Generated<string>
  encompass_signed_up: Generated<boolean>
  /** HH:MM, local time */
  day_starts: Generated<string>
  calendar_id: string | null
  updated_at: Generated<Date>
}

export interface GiasLinkTable { urn: string, link_urn: string, link_type: string }

export interface TermPeriodTable { id: Generated<string>, calendar_id: string, starts_on: CalendarDate, ends_on: CalendarDate }

export interface InsetDayTable { id: Generated<string>, calendar_id: string | null, organisation_id: string | null, on_date: CalendarDate }

export interface IncidentTable {
  id: Generated<string>
  police_organisation_id: string
  police_reference: string
  version: Generated<number>
  content_hash: string
  report: ColumnType<Record<string, unknown>, string, string>
  occurred_at: Timestamp
  received_at: Generated<Date>
  amended_at: NullableTimestamp
}

export interface IncidentVersionTable {
  incident_id: string
  version: number
  content_hash: string
  report: ColumnType<Record<string, unknown>, string, string>
  received_at: Generated<Date>
}

export interface IncidentChildTable {
  id: Generated<string>
  incident_id: string
  position: number
  version: number
  route: 'setting' | 'review' | 'local-authority' | 'excluded'
  setting_urn: string | null
  deadline: NullableTimestamp
  reason: string | null
  pupil_id: string | null
  match_probability: number | null
  match_review_id: string | null
}

export interface SafeguardingContactTable {
  organisation_id: string
  user_id: string
  kind: 'lead' | 'deputy'
  created_at: Generated<Date>
}

export interface EncompassNotificationTable {
  id: Generated<string>
  incident_id: string
  child_position: number
  incident_version: number
  recipient_organisation_id: string
  recipient_kind: 'setting' | 'council'
  setting_urn: string | null
  pupil_id: string | null
  content: ColumnType<Record<string, unknown>, string, string>
  content_hash: string
  content_policy: 'full' | 'minimal'
  deadline: Timestamp
  created_at: Generated<Date>
  first_opened_at: NullableTimestamp
  first_opened_by_user_id: string | null
  acknowledged_at: NullableTimestamp
  acknowledged_by_label: string | null
  escalation_level: Generated<number>
  superseded_at: NullableTimestamp
  superseded_by: string | null
}

export interface EncompassResponseTable {
  notification_id: string
  support: 'silent' | 'overt' | 'none-needed'
  welfare_check: boolean
  parent_contact: 'contacted' | 'not-contacted'
  parent_contact_reason: string
  mash_referral: boolean
  staff_told: string
  recorded_by_user_id: string | null
  recorded_by_label: string
  recorded_at: Generated<Date>
}

export interface EncompassDeliveryTable {
  notification_id: string
  mail_message_id: string
  user_id: string | null
  reason: 'notify' | 'escalate-deputies' | 'escalate-council' | 'no-lead'
}

export interface RiskAssessmentTable {
  id: Generated<string>
  organisation_id: string
  created_by_user_id: string | null
  victim_name: string
  victim_date_of_birth: CalendarDate
  instrument_id: string
  instrument_version: number
  status: Generated<'draft' | 'complete'>
  current_version: Generated<number>
  grade: 'standard' | 'medium' | 'high' | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
  completed_at: NullableTimestamp
}

export interface RiskAssessmentVersionTable {
  assessment_id: string
  version: number
  kind: 'start' | 'save' | 'complete'
  victim_name: string
  victim_date_of_birth: CalendarDate
  answers: ColumnType<Record<string, string>, string, string>
  assessor_grade: 'standard' | 'medium' | 'high' | null
  scored_grade: 'standard' | 'medium' | 'high' | null
  grade: 'standard' | 'medium' | 'high' | null
  yes_count: number | null
  judgement: ColumnType<{ grade: string, reasons: string, raised: boolean } | null, string | null, string | null>
  children: ColumnType<Array<{ name: string, dateOfBirth: string }>, string, string>
  saved_by_user_id: string | null
  saved_by_label: string
  saved_at: Generated<Date>
}

export interface MaracAreaTable {
  code: string
  name: string
  council: string
  rhythm: 'fortnightly' | 'monthly'
  first_meeting: CalendarDate
  capacity: Generated<number>
  target_wait_days: Generated<number>
  adult_women: number
  escalation_threshold: Generated<number>
  created_at: Generated<Date>
}

export interface MaracReferralTable {
  id: Generated<string>
  area_code: string
  referring_organisation_id: string
  client_reference: string
  content_hash: string
  referrer: ColumnType<Record<string, unknown>, string, string>
  referral: ColumnType<Record<string, unknown>, string, string>
  victim_dob: CalendarDate
  victim_surname_key: string
  high_priority: Generated<boolean>
  repeat: boolean
  previous_referral_id: string | null
  criteria_met: string[]
  children_count: Generated<number>
  children_in_household: Generated<number>
  referred_at: Timestamp
  referred_on: CalendarDate
  created_by_label: string
  /** the person who made the referral (null for one sent by another system through the API) */
  created_by_user_id: ColumnType<string | null, string | null | undefined, string | null>
  idva_contacted_on: ColumnType<CalendarDate | null, CalendarDate | null | undefined, CalendarDate | null>
  risk_assessment_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface MaracMeetingTable {
  id: Generated<string>
  area_code: string
  meets_on: CalendarDate
  capacity: number
  minutes_issued_at: NullableTimestamp
  created_at: Generated<Date>
  minutes: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
}

export interface MaracAllocationTable {
  referral_id: string
  meeting_id: string
  placed_by: 'queue' | 'coordinator'
  move_reason: string | null
  waiting_days: number
  allocated_at: Generated<Date>
  allocated_by_label: string
  /** set when the case moved on after this hearing (a transfer): the row stays as the record of the hearing */
  superseded_at: ColumnType<Date | null, Date | null | undefined, Date | null>
}

export interface MaracAllocationHistoryTable {
  id: ColumnType<number, never, never>
  referral_id: string
  from_meeting_id: string | null
  to_meeting_id: string
  placed_by: 'queue' | 'coordinator'
  reason: string | null
  by_label: string
  at: Generated<Date>
}

export interface MaracMeetingAttendeeTable {
  id: Generated<string>
  meeting_id: string
  kind: 'agency' | 'observer'
  organisation_id: string
  user_id: string | null
  confidentiality_confirmed_at: NullableTimestamp
  added_by_label: string
  added_at: Generated<Date>
}

export interface MaracResearchTable {
  meeting_id: string
  referral_id: string
  organisation_id: string
  victim: Generated<string>
  perpetrator: Generated<string>
  children: ColumnType<Array<{ child: number, text: string }>, string | undefined, string>
  to_share: Generated<string>
  recorded_by_label: string
  recorded_at: Timestamp
}

export interface MaracActionTable {
  id: Generated<string>
  referral_id: string
  meeting_id: string
  organisation_id: string
  owner: string
  description: string
  due_on: CalendarDate
  status: Generated<'open' | 'done' | 'circumstances-changed' | 'not-done'>
  closed_at: NullableTimestamp
  closed_at_meeting_id: string | null
  closed_by_label: string | null
  created_by_label: string
  created_at: Generated<Date>
}

export interface MaracTransferTable {
  id: Generated<string>
  referral_id: string
  from_area_code: string
  to_area_code: string
  reason: string
  idva_from: string
  idva_to: string
  handed_over_on: CalendarDate
  transferred_by_label: string
  transferred_at: Generated<Date>
}

export interface HomeEducationChildTable {
  id: Generated<string>
  council_organisation_id: string
  register_ref: string
  first_name: string
  middle_names: Generated<string>
  last_name: string
  date_of_birth: CalendarDate
  gender: Generated<'F' | 'M' | 'X' | ''>
  address: Generated<string>
  postcode: Generated<string>
  registered_on: CalendarDate | null
}

export interface HomeEducationImportTable {
  id: Generated<string>
  council_organisation_id: string
  file_name: string
  children: number
  imported_by_label: string
  imported_at: Generated<Date>
}

export interface Schema {
  harbour_migration: HarbourMigrationTable
  organisation: OrganisationTable
  team: TeamTable
  app_user: AppUserTable
  user_role: UserRoleTable
  invitation: InvitationTable
  web_session: WebSessionTable
  api_key: ApiKeyTable
  audit_event: AuditEventTable
  mail_message: MailMessageTable
  setting: SettingTable
  roll_import: RollImportTable
  home_education_child: HomeEducationChildTable
  home_education_import: HomeEducationImportTable
  pupil: PupilTable
  match_review: MatchReviewTable
  incident: IncidentTable
  incident_version: IncidentVersionTable
  incident_child: IncidentChildTable
  directory_area: DirectoryAreaTable
  directory_entry: DirectoryEntryTable
  term_calendar: TermCalendarTable
  education_setting: EducationSettingTable
  gias_link: GiasLinkTable
  term_period: TermPeriodTable
  inset_day: InsetDayTable
  safeguarding_contact: SafeguardingContactTable
  encompass_notification: EncompassNotificationTable
  encompass_response: EncompassResponseTable
  encompass_delivery: EncompassDeliveryTable
  marac_area: MaracAreaTable
  marac_referral: MaracReferralTable
  marac_meeting: MaracMeetingTable
  marac_allocation: MaracAllocationTable
  marac_allocation_history: MaracAllocationHistoryTable
  marac_meeting_attendee: MaracMeetingAttendeeTable
  marac_research: MaracResearchTable
  marac_action: MaracActionTable
  marac_transfer: MaracTransferTable
  risk_assessment: RiskAssessmentTable
  risk_assessment_version: RiskAssessmentVersionTable
}
