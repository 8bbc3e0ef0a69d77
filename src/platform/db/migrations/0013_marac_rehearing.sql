-- MARAC: a case heard in one area and then transferred is heard again in the receiving area. Its
-- earlier hearing stays (the old meeting's agenda, minutes and return still count it) but is no longer
-- its current one: superseded_at is set, and a case has at most one current allocation. Referrals
-- also remember the person who made them (the referral page is theirs and the coordinator's).
alter table marac_allocation drop constraint marac_allocation_pkey;
alter table marac_allocation add column superseded_at timestamptz;
alter table marac_allocation add primary key (referral_id, meeting_id);
create unique index marac_allocation_current on marac_allocation (referral_id) where superseded_at is null;

alter table marac_referral add column created_by_user_id uuid references app_user (id);
