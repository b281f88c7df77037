-- Claims, step 8 of 8: what a reader reads.
--   claim_checks           view: the claim, its article and its verdict
--   claim_contradictions   view: pairs of claims from different articles that say the opposite, with their verdicts

create or replace view claim_checks as
select
    c.claim_id,
    c.ordinal,
    a.article_id,
    a.title as article,
    a.file as article_file,
    a.author,
    a.published,
    c.location,
    c.statement,
    c.kind,
    c.source,
    array_to_string(c.subjects, ', ') as subject,
    array_to_string(list_distinct(c.subjects || c.alternatives || c.relative_to), ', ') as involves,
    c.metric,
    c.period_start,
    c.period_end,
    c.claimed_value,
    c.unit,
    case when c.kind = 'release_date' then extract(year from v.decisive_date)::double
         else v.measured_value end as measured_value,
    v.verdict,
    v.evidence,
    v.evidence_source,
    v.evidence_metric,
    v.rung,
    v.coverage,
    v.decisive_date,
    v.explanation,
    c.check_method,
    c.contradicts,
    c.unmeasured,
    c.proxy
from claim as c
join claim_article as a using (article_id)
join claim_verdicts as v using (claim_id);

comment on view claim_checks is 'Each registered claim beside what the data says: the verdict (supported, partly_supported, inaccurate, contradicted, uncheckable, no_data), the evidence it rests on and an explanation a reader can verify.';
comment on column claim_checks.claim_id is 'Claim id in data/claims.toml.';
comment on column claim_checks.ordinal is 'Place of the claim in the register, which follows each article''s reading order.';
comment on column claim_checks.article_id is 'Article id in data/claims.toml.';
comment on column claim_checks.article is 'Title of the article making the claim.';
comment on column claim_checks.article_file is 'File name of the article as it was checked.';
comment on column claim_checks.author is 'Author or site, as far as the article tells.';
comment on column claim_checks.published is 'Publication date as far as the article tells.';
comment on column claim_checks.location is 'Where in the article the claim stands.';
comment on column claim_checks.statement is 'The claim in the project''s words.';
comment on column claim_checks.kind is 'value, share, comparison, rank, growth, crossover, release_date or uncheckable.';
comment on column claim_checks.source is 'Source named by the claim (none when uncheckable).';
comment on column claim_checks.subject is 'Subjects of the claim, comma separated (the first is the one the claim is about).';
comment on column claim_checks.involves is 'Every project the claim involves: its subjects, the alternatives it is ranked against, the frameworks its growth is compared with.';
comment on column claim_checks.metric is 'Metric named by the claim.';
comment on column claim_checks.period_start is 'First day of the period the claim refers to.';
comment on column claim_checks.period_end is 'Last day of that period.';
comment on column claim_checks.claimed_value is 'Number claimed (a year for release dates, percent for shares).';
comment on column claim_checks.unit is 'Unit of claimed_value.';
comment on column claim_checks.measured_value is 'Measured counterpart: nearest value in the period (value), percent (share), mean level or mean per day of the first subject (comparison, rank), percent change (growth), lead on the last common day (crossover), year of the decisive milestone (release date).';
comment on column claim_checks.verdict is 'supported; partly_supported (the measured part holds, the rest is not measured); inaccurate (right direction, off beyond the tolerance); contradicted; uncheckable; no_data (the evidence covers less than half of the period).';
comment on column claim_checks.evidence is 'The series the verdict rests on (a rung of evidence_ladder).';
comment on column claim_checks.evidence_source is 'Source of the series the verdict rests on.';
comment on column claim_checks.evidence_metric is 'Metric of that series (in project_series).';
comment on column claim_checks.rung is 'Rung of the evidence ladder (1 is the best evidence).';
comment on column claim_checks.coverage is 'Share of the claimed period the evidence covers, 0 to 1.';
comment on column claim_checks.decisive_date is 'The day that decides the verdict (see claim_verdicts).';
comment on column claim_checks.explanation is 'The evidence, the numbers, their dates and origin, proxies, what was not measured, and any methodology break.';
comment on column claim_checks.check_method is 'How the claim is checked, from the register.';
comment on column claim_checks.contradicts is 'Claims of other articles that say the opposite.';
comment on column claim_checks.unmeasured is 'The part of the claim no series measures.';
comment on column claim_checks.proxy is 'For an uncheckable claim: the series shown as a proxy.';

create or replace view claim_contradictions as
with checks as materialized (
    select * from claim_checks
)
select
    c.claim_id,
    other.claim_id as other_claim_id,
    c.article,
    other.article as other_article,
    c.statement,
    other.statement as other_statement,
    c.verdict,
    other.verdict as other_verdict
from checks as c
join checks as other on list_contains(c.contradicts, other.claim_id)
where c.claim_id < other.claim_id;

comment on view claim_contradictions is 'Pairs of claims from different articles that contradict each other, each with its verdict.';
comment on column claim_contradictions.claim_id is 'First claim of the pair.';
comment on column claim_contradictions.other_claim_id is 'The claim it contradicts.';
comment on column claim_contradictions.article is 'Article of the first claim.';
comment on column claim_contradictions.other_article is 'Article of the other claim.';
comment on column claim_contradictions.statement is 'First claim in the project''s words.';
comment on column claim_contradictions.other_statement is 'The other claim.';
comment on column claim_contradictions.verdict is 'Verdict of the first claim.';
comment on column claim_contradictions.other_verdict is 'Verdict of the other claim.';
