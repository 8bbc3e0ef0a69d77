-- Operation Encompass: incidents as the police report them, versioned, and where each child was routed.

create table incident (
  id uuid primary key default gen_random_uuid(),
  police_organisation_id uuid not null references organisation (id),
  police_reference text not null,
  version integer not null default 1,
  content_hash text not null,
  report jsonb not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  amended_at timestamptz,
  unique (police_organisation_id, police_reference)
);

-- every version as received (an amendment is a new version; nothing is overwritten without a trace)
create table incident_version (
  incident_id uuid not null references incident (id),
  version integer not null,
  content_hash text not null,
  report jsonb not null,
  received_at timestamptz not null default now(),
  primary key (incident_id, version)
);

create table incident_child (
  id uuid primary key default gen_random_uuid(),
  incident_id uuid not null references incident (id),
  position integer not null,
  version integer not null,
  route text not null check (route in ('setting', 'review', 'local-authority', 'excluded')),
  setting_urn text,
  deadline timestamptz,
  reason text,
  pupil_id uuid references pupil (id),
  match_probability double precision,
  match_review_id uuid references match_review (id),
  unique (incident_id, position)
);
create index incident_child_setting on incident_child (setting_urn, deadline);
