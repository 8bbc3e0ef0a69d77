-- Platform: organisations, people, roles, sign-in, sessions, API keys, audit trail, mail, settings.

create table organisation (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique,
  name text not null,
  type text not null check (type in (
    'police_force', 'local_authority', 'childrens_social_care', 'education_setting', 'health',
    'probation', 'housing', 'idva_service', 'voluntary_sector')),
  urn text unique check (urn ~ '^[0-9]{6}$'),
  created_at timestamptz not null default now(),
  constraint education_setting_has_urn check ((type = 'education_setting') = (urn is not null))
);

create table team (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null,
  unique (organisation_id, name)
);

create table app_user (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid references team (id),
  email text not null unique check (email = lower(email)),
  display_name text not null,
  password_hash text,
  totp_secret text,
  totp_enrolled_at timestamptz,
  totp_last_step bigint,
  status text not null default 'invited' check (status in ('invited', 'active', 'disabled')),
  is_demo boolean not null default false,
  failed_sign_ins integer not null default 0,
  locked_until timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now()
);
create index app_user_organisation on app_user (organisation_id);

create table user_role (
  user_id uuid not null references app_user (id) on delete cascade,
  role text not null,
  primary key (user_id, role)
);

create table invitation (
  token_hash text primary key,
  user_id uuid not null references app_user (id) on delete cascade,
  created_by_user_id uuid references app_user (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table web_session (
  id_hash text primary key,
  user_id uuid not null references app_user (id) on delete cascade,
  stage text not null check (stage in ('second-factor', 'enrol-second-factor', 'complete')),
  second_factor_skipped boolean not null default false,
  enrolment_secret text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  ip text
);
create index web_session_user on web_session (user_id);

create table api_key (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null,
  prefix text not null unique,
  key_hash text not null,
  created_by_user_id uuid references app_user (id),
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- The audit trail: append-only, each entry carries the hash of the one before.
create table audit_event (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  actor_user_id uuid,
  actor_api_key_id uuid,
  actor_organisation_id uuid,
  actor_label text not null,
  action text not null,
  outcome text not null check (outcome in ('success', 'failure', 'denied')),
  record_type text,
  record_id text,
  purpose text,
  ip text,
  request_id text,
  details jsonb not null default '{}',
  prev_hash text not null,
  hash text not null unique
);
create index audit_event_record on audit_event (record_type, record_id);
create index audit_event_actor on audit_event (actor_user_id);
create index audit_event_time on audit_event (occurred_at);

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % is not allowed', tg_op;
end
$$;
create trigger audit_event_no_update before update or delete on audit_event
  for each row execute function audit_event_is_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function audit_event_is_append_only();

create table mail_message (
  id uuid primary key default gen_random_uuid(),
  recipient text not null,
  subject text not null,
  body text not null,
  channel text not null check (channel in ('smtp', 'outbox')),
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);

create table setting (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
