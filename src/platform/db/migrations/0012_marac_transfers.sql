-- MARAC transfers: a victim moves, and their case goes to the receiving area's MARAC with its history
-- (the meetings that heard it, their minutes and action plans stay linked to the case), and the IDVA
-- hands over to the receiving area's IDVA.
create table marac_transfer (
  id uuid primary key default gen_random_uuid(),
  referral_id uuid not null references marac_referral (id),
  from_area_code text not null references marac_area (code),
  to_area_code text not null references marac_area (code),
  reason text not null,
  idva_from text not null,
  idva_to text not null,
  handed_over_on date not null,
  transferred_by_label text not null,
  transferred_at timestamptz not null default now(),
  check (from_area_code <> to_area_code)
);
create index marac_transfer_referral on marac_transfer (referral_id);
