-- Domestic abuse risk assessments (checklists and graded tools) about a victim, done by an assessor
-- of an organisation. Versioned: every save of the answers (continue, or save and return later) and the
-- completion adds a version holding the whole state at that moment; versions are never changed.

create table risk_assessment (
  id uuid primary key default gen_random_uuid(),
  -- the assessor's organisation: who may see and continue it
  organisation_id uuid not null references organisation (id),
  created_by_user_id uuid references app_user (id),
  victim_name text not null,
  victim_date_of_birth date not null,
  instrument_id text not null,
  instrument_version integer not null,
  status text not null default 'draft' check (status in ('draft', 'complete')),
  -- the latest version's number (versions are 1, 2, 3...)
  current_version integer not null default 1,
  -- the grade that stands, once complete
  grade text check (grade in ('standard', 'medium', 'high')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  check ((status = 'complete') = (grade is not null and completed_at is not null))
);
create index risk_assessment_organisation on risk_assessment (organisation_id, status, updated_at desc);

create table risk_assessment_version (
  assessment_id uuid not null references risk_assessment (id),
  version integer not null,
  -- 'start' (the victim and instrument chosen), 'save' (answers saved) or 'complete'
  kind text not null check (kind in ('start', 'save', 'complete')),
  victim_name text not null,
  victim_date_of_birth date not null,
  -- item id to 'yes', 'no' or 'dont-know' (a draft may have some items unanswered)
  answers jsonb not null default '{}'::jsonb,
  -- a graded tool's grade, chosen by the assessor
  assessor_grade text check (assessor_grade in ('standard', 'medium', 'high')),
  -- the grade before professional judgement, and the grade that stands (set once every item is answered)
  scored_grade text check (scored_grade in ('standard', 'medium', 'high')),
  grade text check (grade in ('standard', 'medium', 'high')),
  yes_count integer,
  -- professional judgement: { grade, reasons, raised }, or null when none was given
  judgement jsonb,
  -- the children the assessment concerns: [{ name, dateOfBirth }]
  children jsonb not null default '[]'::jsonb,
  saved_by_user_id uuid references app_user (id),
  saved_by_label text not null,
  saved_at timestamptz not null default now(),
  primary key (assessment_id, version)
);
