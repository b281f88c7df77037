-- Claims, step 1 of 8: what can judge a claim. Each registered claim is judged on the best evidence there is,
-- in steps that each read the one before (60_ladder.sql to 67_checks.sql, loaded in file-name order).
--   fmt_number, fmt_share   macros: numbers and fractions for people, as the explanations write them
--   claim_rate_days         macro: the days a claimed rate spans ("per week": 7)
--   min_coverage            macro: the part of the period the evidence must cover before a verdict
--   evidence_ladder         view: which series can judge a claim's metric, best first
--   claim_subjects          view: the projects a claim involves: its subjects, the alternatives of a rank, the
--                           frameworks a growth must outpace
--   claim_measured()        table macro: the claims that have a measure, with it and their period
--   claim_measure           view: the source and metric that judge each claim (or the proxy an uncheckable names)
--   claim_rungs             view: the rungs of the ladder each claim can be judged on, with its period: what the
--                           evidence (61) and its coverage (62) both start from

-- Numbers for people: thousands separators for large values, two decimals for small ones.
create or replace macro fmt_number(x) as
    case when abs(x) >= 100 then format('{:,}', round(x)::bigint) else printf('%.2f', x) end;

-- A fraction as a percentage for people: 0.0002 reads "0.02%", not "0.0%".
create or replace macro fmt_share(x) as
    case when abs(x) >= 0.1 then printf('%.0f%%', 100 * x) when abs(x) >= 0.01 then printf('%.1f%%', 100 * x)
         else printf('%.2f%%', 100 * x) end;

-- The days a claimed rate spans ("downloads per week": 7). A count (downloads, questions) is judged as a rate:
-- its mean per day over the period, times these days; a count claimed without a rate cannot be judged.
create or replace macro claim_rate_days(unit) as
    case when unit like '% per day' then 1.0 when unit like '% per week' then 7.0
         when unit like '% per month' then 30.4375 when unit like '% per year' then 365.25 end;

-- The part of a claimed period the evidence must cover before a verdict other than no_data is given.
create or replace macro min_coverage() as 0.5;

create or replace view evidence_ladder as
select
    r.claim_source,
    r.claim_metric,
    r.rung,
    s.source,
    s.metric,
    s.min_window,
    s.max_window,
    not s.is_count as is_level,
    case when s.is_count then s.per_days else 1 end as unit_days,
    case when not s.is_count then ''
         when s.per_days = 1 then ' per day'
         when s.per_days = 365 then ' per year'
         else format(' per {} days', s.per_days) end as unit_label,
    r.label
from source_rung as r
join source_series as s on s.source = r.source and s.key = r.key;

comment on view evidence_ladder is 'For each metric a claim can name, the series that can judge it, best first (rung 1), as the sources declare them (collectors/sources/). A claim is judged on the first rung whose data covers at least half of the claimed period for every project it involves.';
comment on column evidence_ladder.claim_source is 'Source named by the claim in data/claims.toml.';
comment on column evidence_ladder.claim_metric is 'Metric named by the claim.';
comment on column evidence_ladder.rung is 'Preference: 1 is the best evidence.';
comment on column evidence_ladder.source is 'Source of the series on this rung.';
comment on column evidence_ladder.metric is 'Metric of the series on this rung (see project_series).';
comment on column evidence_ladder.min_window is 'Shortest window of the points used, in days (0 for levels).';
comment on column evidence_ladder.max_window is 'Longest window of the points used, in days.';
comment on column evidence_ladder.is_level is 'True for levels (stars, interest), false for counts over windows (compared per day).';
comment on column evidence_ladder.label is 'What the series is, as the explanations name it.';
comment on column evidence_ladder.unit_days is 'Counts are compared per day and shown per this many days (1, 30, 365).';
comment on column evidence_ladder.unit_label is 'The unit counts are shown in, for example '' per year''; empty for levels.';

create or replace view claim_subjects as
-- one scan of the register for the three roles (the evidence and its coverage both read this)
select
    claim_id,
    unnest(subjects || alternatives || relative_to) as project_id,
    unnest(list_resize(['subject'], len(subjects), 'subject')
           || list_resize(['alternative'], len(alternatives), 'alternative')
           || list_resize(['relative_to'], len(relative_to), 'relative_to')) as role,
    unnest(range(1, len(subjects) + 1) || list_resize([null::bigint], len(alternatives) + len(relative_to)))
        as position
from claim;

comment on view claim_subjects is 'The projects a claim involves (a name that is not a tracked project has no series): its subjects (in order), the alternatives a rank claim is measured against, and the frameworks a growth claim must outpace.';
comment on column claim_subjects.claim_id is 'Claim id.';
comment on column claim_subjects.project_id is 'Project id.';
comment on column claim_subjects.role is 'subject, alternative or relative_to.';
comment on column claim_subjects.position is 'Position among the subjects (1 is the one the claim is about); null for the others.';

-- What judges each claim: its own source and metric, or for an uncheckable claim the proxy it names
-- ("pypi downloads_without_mirrors"), whose numbers are shown but never turned into a verdict. The claims that have
-- one, with it and their period: claim_measure publishes the measure, claim_rungs reads the period in the same scan.
create or replace macro claim_measured() as table
select
    claim_id,
    kind,
    period_start,
    period_end,
    case when kind = 'uncheckable' then split_part(proxy, ' ', 1) else source end as measure_source,
    case when kind = 'uncheckable' then split_part(proxy, ' ', 2) else metric end as measure_metric,
    kind = 'uncheckable' as is_proxy
from claim
-- (a list, not an IN list: DuckDB plans an IN list of six values as a join)
where (list_contains(['value', 'share', 'comparison', 'rank', 'growth', 'crossover'], kind) and metric <> 'created')
    or (kind = 'uncheckable' and proxy is not null);

create or replace view claim_measure as
select claim_id, measure_source as source, measure_metric as metric, is_proxy
from claim_measured();

comment on view claim_measure is 'The series that judges each claim: the claim''s own source and metric, or the proxy an uncheckable claim names (shown, never a verdict).';
comment on column claim_measure.claim_id is 'Claim id.';
comment on column claim_measure.source is 'Source of the measure.';
comment on column claim_measure.metric is 'Metric of the measure.';
comment on column claim_measure.is_proxy is 'True when it is an uncheckable claim''s proxy.';

create or replace view claim_rungs as
select
    m.claim_id,
    l.rung,
    l.label,
    l.source,
    l.metric,
    l.is_level,
    l.unit_days,
    l.unit_label,
    l.min_window,
    l.max_window,
    m.is_proxy,
    m.kind,
    m.period_start,
    m.period_end
from claim_measured() as m
join evidence_ladder as l on l.claim_source = m.measure_source and l.claim_metric = m.measure_metric;

comment on view claim_rungs is 'Each claim beside every rung of the evidence ladder that can judge it (its own metric''s, or its proxy''s), with the claimed period: what claim_evidence reads and claim_coverage measures.';
comment on column claim_rungs.claim_id is 'Claim id.';
comment on column claim_rungs.rung is 'Rung of the evidence ladder (1 is the best evidence).';
comment on column claim_rungs.label is 'What the rung''s series is.';
comment on column claim_rungs.source is 'Source of the rung''s series.';
comment on column claim_rungs.metric is 'Metric of the rung''s series (in project_series).';
comment on column claim_rungs.is_level is 'True for levels, false for counts.';
comment on column claim_rungs.unit_days is 'Days of the unit counts are shown in.';
comment on column claim_rungs.unit_label is 'The unit counts are shown in.';
comment on column claim_rungs.min_window is 'Shortest window of the points used, in days.';
comment on column claim_rungs.max_window is 'Longest window of the points used, in days.';
comment on column claim_rungs.is_proxy is 'True when the rung judges an uncheckable claim''s proxy (shown, never a verdict).';
comment on column claim_rungs.kind is 'Kind of the claim.';
comment on column claim_rungs.period_start is 'First day of the claimed period.';
comment on column claim_rungs.period_end is 'Last day of the claimed period.';
