-- The support directory: services a frightened person can find without signing in (the public
-- directory), and children's and young people's support for practitioners (ages, referral, waiting
-- time, areas covered). One entry may be listed in either or both. Editors keep entries current and
-- record when each was last checked.

-- The areas of the partnership that services cover, for filtering and for finding gaps in provision.
-- Which areas a partnership has is configuration (the demo loads Harbourshire's).
create table directory_area (
  code text primary key check (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  position integer not null default 0
);

create table directory_entry (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  -- where the entry is listed
  public_listing boolean not null default false,
  practitioner_listing boolean not null default false,
  -- lower first: the emergency number heads the public list
  priority integer not null default 100,
  -- what they offer
  summary text not null,
  -- who they are for: everyone, women, men, lgbtq, children, harmed, deaf-bsl, languages
  audiences text[] not null default '{}',
  -- what a person looking for help needs: talk, advice, children, stop-harming, emergency
  needs text[] not null default '{}',
  -- community languages offered, in words
  languages text not null default '',
  -- how to reach them
  phone text not null default '',
  text_number text not null default '',
  webchat_url text not null default '',
  website text not null default '',
  contact_note text not null default '',
  -- opening hours (see src/directory/opening-hours.ts), and what they apply to ("Webchat")
  hours jsonb not null default '{"kind":"none"}',
  hours_note text not null default '',
  -- the area covered, in words, and (for practitioners) which of the partnership's areas
  area_description text not null default '',
  area_codes text[] not null default '{}',
  -- practitioners' directory: kinds of support (therapeutic, childrens-da-worker, perpetrator-programme, camhs-route)
  support_kinds text[] not null default '{}',
  min_age integer check (min_age between 0 and 25),
  max_age integer check (max_age between 0 and 25),
  referral_criteria text not null default '',
  how_to_refer text not null default '',
  -- the waiting time as last reported by the service
  waiting_weeks integer check (waiting_weeks between 0 and 520),
  waiting_reported_on date,
  -- a fictional entry loaded with the demo partnership
  is_demo boolean not null default false,
  last_checked_on date not null,
  last_checked_by text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (min_age is null or max_age is null or min_age <= max_age),
  check (public_listing or practitioner_listing)
);
create index directory_entry_checked on directory_entry (last_checked_on);
