-- Operation Encompass notifications: who at each setting receives them, what each setting (or the
-- council) was told about each child, when it was opened and acknowledged, what the school did, and
-- every email sent about it.

-- A setting's Designated Safeguarding Lead (one) and deputies: people of that setting.
create table safeguarding_contact (
  organisation_id uuid not null references organisation (id),
  user_id uuid not null references app_user (id) on delete cascade,
  kind text not null check (kind in ('lead', 'deputy')),
  created_at timestamptz not null default now(),
  primary key (organisation_id, user_id)
);
create unique index safeguarding_contact_one_lead on safeguarding_contact (organisation_id) where kind = 'lead';

create table encompass_notification (
  id uuid primary key default gen_random_uuid(),
  incident_id uuid not null references incident (id),
  child_position integer not null,
  incident_version integer not null,
  -- the setting, or the council for a child routed to it
  recipient_organisation_id uuid not null references organisation (id),
  recipient_kind text not null check (recipient_kind in ('setting', 'council')),
  setting_urn text,
  pupil_id uuid references pupil (id),
  -- what the recipient is shown, under the content policy in force when it was sent
  content jsonb not null,
  content_hash text not null,
  content_policy text not null check (content_policy in ('full', 'minimal')),
  deadline timestamptz not null,
  created_at timestamptz not null default now(),
  first_opened_at timestamptz,
  first_opened_by_user_id uuid references app_user (id),
  acknowledged_at timestamptz,
  acknowledged_by_label text,
  -- 0 not escalated; 1 the deputies were told; 2 the council's Encompass lead was told
  escalation_level integer not null default 0 check (escalation_level between 0 and 2),
  superseded_at timestamptz,
  superseded_by uuid references encompass_notification (id)
);
create index encompass_notification_recipient on encompass_notification (recipient_organisation_id, acknowledged_at, deadline);
create index encompass_notification_incident on encompass_notification (incident_id, child_position);
create index encompass_notification_pupil on encompass_notification (pupil_id);
create index encompass_notification_deadline on encompass_notification (deadline);

-- What the school did; one current record per notification, each change audited.
create table encompass_response (
  notification_id uuid primary key references encompass_notification (id),
  support text not null check (support in ('silent', 'overt', 'none-needed')),
  welfare_check boolean not null,
  parent_contact text not null check (parent_contact in ('contacted', 'not-contacted')),
  parent_contact_reason text not null,
  mash_referral boolean not null,
  staff_told text not null default '',
  recorded_by_user_id uuid references app_user (id),
  recorded_by_label text not null,
  recorded_at timestamptz not null default now()
);

-- Every email about a notification, so its delivery status can be seen.
create table encompass_delivery (
  notification_id uuid not null references encompass_notification (id),
  mail_message_id uuid not null references mail_message (id),
  user_id uuid references app_user (id),
  reason text not null check (reason in ('notify', 'escalate-deputies', 'escalate-council', 'no-lead')),
  primary key (notification_id, mail_message_id)
);

-- A child held for review whose incident the police then amended is routed afresh: the old review is withdrawn.
alter table match_review drop constraint match_review_status_check;
alter table match_review add constraint match_review_status_check check (status in ('open', 'matched', 'rejected', 'not-on-roll', 'withdrawn'));
