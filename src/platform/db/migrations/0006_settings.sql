-- Education settings (from the DfE's Get Information about Schools, GIAS), the links between them
-- (a closed school's successor), and the term calendars that say when a setting's school days are.

-- A term calendar: the council's default, which settings follow unless they have their own (academies set theirs).
create table term_calendar (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  -- the council that publishes it, or the setting that keeps its own
  owner_organisation_id uuid not null references organisation (id),
  is_council_default boolean not null default false,
  -- for a council's default: the local authority (GIAS "LA (code)") whose settings follow it
  la_code text check (la_code ~ '^[0-9]{3}$'),
  created_at timestamptz not null default now(),
  unique (owner_organisation_id, name)
);
-- a council has one default calendar
create unique index term_calendar_council_default on term_calendar (owner_organisation_id) where is_council_default;

create table education_setting (
  organisation_id uuid primary key references organisation (id),
  urn text not null unique check (urn ~ '^[0-9]{6}$'),
  la_code text not null default '',
  la_name text not null default '',
  type_of_establishment text not null default '',
  status text not null default '',
  phase text not null default '',
  statutory_low_age integer,
  statutory_high_age integer,
  postcode text not null default '',
  encompass_signed_up boolean not null default false,
  day_starts text not null default '08:45' check (day_starts ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  -- its own calendar; null: the council's default
  calendar_id uuid references term_calendar (id),
  updated_at timestamptz not null default now()
);
create index education_setting_la on education_setting (la_code);

-- GIAS links: "Successor", "Predecessor", "Successor - amalgamated", ... as published.
create table gias_link (
  urn text not null,
  link_urn text not null,
  link_type text not null,
  primary key (urn, link_urn, link_type)
);
create index gias_link_urn on gias_link (urn);

create table term_period (
  id uuid primary key default gen_random_uuid(),
  calendar_id uuid not null references term_calendar (id) on delete cascade,
  starts_on date not null,
  ends_on date not null,
  check (starts_on <= ends_on)
);
create index term_period_calendar on term_period (calendar_id, starts_on);

-- A day in term when pupils are not in: a calendar's (every setting that follows it) or one setting's own.
create table inset_day (
  id uuid primary key default gen_random_uuid(),
  calendar_id uuid references term_calendar (id) on delete cascade,
  organisation_id uuid references organisation (id),
  on_date date not null,
  check ((calendar_id is null) <> (organisation_id is null))
);
create unique index inset_day_calendar on inset_day (calendar_id, on_date) where calendar_id is not null;
create unique index inset_day_setting on inset_day (organisation_id, on_date) where organisation_id is not null;
