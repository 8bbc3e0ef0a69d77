-- The council's register of children educated at home (elective home education). A child in a
-- police-reported incident who is on it is routed to the council's home education officer, not to a
-- school. The register is imported whole from the council's own records: each import replaces it.
create table home_education_child (
  id uuid primary key default gen_random_uuid(),
  council_organisation_id uuid not null references organisation (id),
  -- the council's own reference for the child
  register_ref text not null,
  first_name text not null,
  middle_names text not null default '',
  last_name text not null,
  date_of_birth date not null,
  gender text not null default '' check (gender in ('F', 'M', 'X', '')),
  address text not null default '',
  postcode text not null default '',
  registered_on date,
  unique (council_organisation_id, register_ref)
);

create table home_education_import (
  id uuid primary key default gen_random_uuid(),
  council_organisation_id uuid not null references organisation (id),
  file_name text not null,
  children integer not null,
  imported_by_label text not null,
  imported_at timestamptz not null default now()
);
