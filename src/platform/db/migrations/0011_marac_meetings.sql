-- MARAC meetings: who attends (agencies, through their representatives, and observers, who confirm the
-- confidentiality statement before they see anything), each agency's research on the cases on the
-- agenda, the actions agreed (agency, owner, due date; closed as done, circumstances changed or agency
-- did not do it), the IDVA's first contact with the victim, and the minutes.

create table marac_meeting_attendee (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references marac_meeting (id),
  kind text not null check (kind in ('agency', 'observer')),
  -- an agency attends as an organisation (its representatives see the agenda); an observer is one person
  organisation_id uuid not null references organisation (id),
  user_id uuid references app_user (id),
  confidentiality_confirmed_at timestamptz,
  added_by_label text not null,
  added_at timestamptz not null default now(),
  check ((kind = 'agency' and user_id is null) or (kind = 'observer' and user_id is not null))
);
create unique index marac_meeting_attendee_agency on marac_meeting_attendee (meeting_id, organisation_id) where kind = 'agency';
create unique index marac_meeting_attendee_observer on marac_meeting_attendee (meeting_id, user_id) where kind = 'observer';

create table marac_research (
  meeting_id uuid not null references marac_meeting (id),
  referral_id uuid not null references marac_referral (id),
  organisation_id uuid not null references organisation (id),
  -- what the agency's records show about the victim, the perpetrator and each child, and what it will share
  victim text not null default '',
  perpetrator text not null default '',
  children jsonb not null default '[]',
  to_share text not null default '',
  recorded_by_label text not null,
  recorded_at timestamptz not null default now(),
  primary key (meeting_id, referral_id, organisation_id)
);

create table marac_action (
  id uuid primary key default gen_random_uuid(),
  referral_id uuid not null references marac_referral (id),
  meeting_id uuid not null references marac_meeting (id),
  organisation_id uuid not null references organisation (id),
  owner text not null,
  description text not null,
  due_on date not null,
  status text not null default 'open' check (status in ('open', 'done', 'circumstances-changed', 'not-done')),
  closed_at timestamptz,
  closed_at_meeting_id uuid references marac_meeting (id),
  closed_by_label text,
  created_by_label text not null,
  created_at timestamptz not null default now()
);
create index marac_action_referral on marac_action (referral_id, status);

alter table marac_referral add column idva_contacted_on date;
alter table marac_meeting add column minutes jsonb;
