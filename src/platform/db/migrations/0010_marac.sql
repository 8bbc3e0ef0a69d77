-- MARAC: areas and their meeting rhythm, referrals (the cases), meetings, and which meeting hears each
-- case (with the coordinator's moves and their reasons). The quarterly return is counted from these.

create table marac_area (
  code text primary key,
  name text not null,
  -- the council the area covers (several areas can be coordinated centrally)
  council text not null,
  rhythm text not null check (rhythm in ('fortnightly', 'monthly')),
  first_meeting date not null,
  capacity integer not null default 16 check (capacity >= 1),
  -- the partnership's target wait from referral to hearing, in calendar days
  target_wait_days integer not null default 28 check (target_wait_days >= 0),
  -- women aged 18 and over living in the area (cases per 10,000 adult women)
  adult_women integer not null check (adult_women >= 1),
  -- police incidents in 12 months that meet "potential escalation" (SafeLives: 3)
  escalation_threshold integer not null default 3 check (escalation_threshold >= 1),
  created_at timestamptz not null default now()
);

create table marac_referral (
  id uuid primary key default gen_random_uuid(),
  area_code text not null references marac_area (code),
  referring_organisation_id uuid not null references organisation (id),
  -- the referrer's own reference: the same reference sent again gets the same answer
  client_reference text not null,
  content_hash text not null,
  referrer jsonb not null,
  -- victim, perpetrators (with relationship), children (relationship to each adult, address, school),
  -- criteria, consent, who is safe and unsafe to talk to: as checked
  referral jsonb not null,
  -- for recognising the same victim through the linkage library (blocking keys)
  victim_dob date not null,
  victim_surname_key text not null,
  high_priority boolean not null default false,
  repeat boolean not null,
  previous_referral_id uuid references marac_referral (id),
  criteria_met text[] not null,
  children_count integer not null default 0,
  children_in_household integer not null default 0,
  referred_at timestamptz not null default now(),
  -- the referral's date in London (the repeat rule and waiting times count calendar dates)
  referred_on date not null,
  created_by_label text not null,
  unique (referring_organisation_id, client_reference)
);
create index marac_referral_victim_dob on marac_referral (victim_dob);
create index marac_referral_victim_surname on marac_referral (victim_surname_key);
create index marac_referral_area on marac_referral (area_code, referred_on);

create table marac_meeting (
  id uuid primary key default gen_random_uuid(),
  area_code text not null references marac_area (code),
  meets_on date not null,
  capacity integer not null check (capacity >= 1),
  minutes_issued_at timestamptz,
  created_at timestamptz not null default now(),
  unique (area_code, meets_on)
);

-- which meeting hears a case: one row per referral while it has a hearing date
create table marac_allocation (
  referral_id uuid primary key references marac_referral (id),
  meeting_id uuid not null references marac_meeting (id),
  -- 'queue' (next meeting with room) or 'coordinator' (moved by the coordinator, with a reason)
  placed_by text not null check (placed_by in ('queue', 'coordinator')),
  move_reason text,
  waiting_days integer not null,
  allocated_at timestamptz not null default now(),
  allocated_by_label text not null,
  check (placed_by = 'queue' or move_reason is not null)
);
create index marac_allocation_meeting on marac_allocation (meeting_id);

-- every placement and move, kept (the allocation row holds only the current one)
create table marac_allocation_history (
  id bigint generated always as identity primary key,
  referral_id uuid not null references marac_referral (id),
  from_meeting_id uuid references marac_meeting (id),
  to_meeting_id uuid not null references marac_meeting (id),
  placed_by text not null check (placed_by in ('queue', 'coordinator')),
  reason text,
  by_label text not null,
  at timestamptz not null default now()
);
create index marac_allocation_history_referral on marac_allocation_history (referral_id);
