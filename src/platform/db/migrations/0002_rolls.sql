-- Pupil rolls: who is on which education setting's roll, as at which date, with history.

create table roll_import (
  id uuid primary key default gen_random_uuid(),
  source text not null check (source in ('csv', 'ctf')),
  file_name text not null,
  as_at date not null,
  -- the settings whose rolls this import replaced
  urns text[] not null,
  pupils integer not null,
  joined integer not null,
  left_roll integer not null,
  imported_by_user_id uuid references app_user (id),
  imported_by_label text not null,
  imported_at timestamptz not null default now()
);

create table pupil (
  id uuid primary key default gen_random_uuid(),
  -- the school's (or council's) own identifier for the pupil, unique within a setting
  pupil_ref text not null,
  upn text,
  urn text not null check (urn ~ '^[0-9]{6}$'),
  first_name text not null,
  middle_names text not null default '',
  last_name text not null,
  date_of_birth date,
  gender text not null default '' check (gender in ('F', 'M', 'X', '')),
  address text not null default '',
  postcode text not null default '',
  on_roll_since date not null,
  -- set when a later import of the setting's roll no longer has the pupil: still findable, "left on"
  left_on date,
  last_import_id uuid not null references roll_import (id),
  updated_at timestamptz not null default now(),
  unique (urn, pupil_ref)
);
create index pupil_current on pupil (urn) where left_on is null;
create index pupil_upn on pupil (upn);

-- Children Harbour could not place automatically: a person decides. Each decision is kept as a label
-- for the next calibration of the linkage model.
create table match_review (
  id uuid primary key default gen_random_uuid(),
  -- where the child came from: a list matched on the web, an incident (later), ...
  source text not null,
  source_ref text not null,
  -- the child as reported
  child jsonb not null,
  -- the candidates offered, best first: pupil id, weight, probability, comparison vector
  candidates jsonb not null,
  guards text[] not null default '{}',
  -- matched: a person chose the pupil; rejected: none of the candidates is the child; not-on-roll: the child is on no roll
  status text not null default 'open' check (status in ('open', 'matched', 'rejected', 'not-on-roll')),
  decided_pupil_id uuid references pupil (id),
  decided_by_user_id uuid references app_user (id),
  decided_at timestamptz,
  decision_note text,
  -- the decision as a label: each candidate the person looked at, and whether it was the child
  labels jsonb,
  created_at timestamptz not null default now(),
  unique (source, source_ref)
);
create index match_review_open on match_review (created_at) where status = 'open';
