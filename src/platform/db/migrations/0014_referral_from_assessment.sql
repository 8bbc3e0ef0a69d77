-- A referral made from a completed risk assessment keeps a link to it (a link, not a copy).
alter table marac_referral add column risk_assessment_id uuid references risk_assessment (id);
