-- Claims, step 7 of 8: the sentence that explains each verdict, written from the facts and the claim's own
-- fields (kind, subjects, period, value).
--   claim_explanations_of(facts_table)  table macro: per claim of a relation shaped like claim_verdict_facts,
--                                       the explanation: what the verdict rests on, the decisive numbers, a
--                                       proxy, what was not measured, what fills it, origins, breaks
--   claim_verdicts                      view: the verdict, the measured value, the evidence it rests on and the
--                                       sentence that explains them (claim_verdict_facts evaluated once)

create or replace macro claim_explanations_of(facts_table) as table
with facts as (
    select f.*, c.* exclude (claim_id)
    from query_table(facts_table) as f
    join claim as c using (claim_id)
),
parts as (
    select
        claim_id,
        -- what the verdict rests on
        case
            when kind = 'uncheckable' then 'Not checkable with the collected sources: ' || reason || '.'
            when kind = 'release_date' and verdict = 'no_data' then
                format('No dated milestone of {} is stored: run ecotrends seed, or ecotrends collect --source github.',
                       subjects[1])
            when kind = 'release_date' then
                format('{}: repository created {}; first public release {}; first PyPI upload {}.', subjects[1],
                       coalesce(release.created_on::varchar, 'unknown'),
                       coalesce(release.released_on::varchar
                                    || ' (' || split_part(release.released_origin, ':', 1) || ')', 'unknown'),
                       coalesce(release.uploaded_on::varchar, 'unknown'))
                || format(' The claim places the release in {}..{}', period_start, period_end)
                || case
                       when release.released_on between period_start and period_end
                           then ', which holds the first public release: the meaning of "released".'
                       when release.released_on is null and release.created_on between period_start and period_end
                           then format(', which holds the repository''s creation ({}); no first public release is stored, so the release itself is not measured.', release.created_on)
                       when release.released_on is null and release.uploaded_on between period_start and period_end
                           then format(', which holds the first PyPI upload ({}); no first public release is stored, so the release itself is not measured.', release.uploaded_on)
                       when release.created_on between period_start and period_end
                           then format(', which holds the repository''s creation ({}) but not the first public release ({}): the claim''s year is that of the repository, not of the release.', release.created_on, release.released_on)
                       when release.uploaded_on between period_start and period_end
                           then format(', which holds the first PyPI upload ({}) but not the first public release ({}).', release.uploaded_on, release.released_on)
                       else ', which holds none of these milestones.'
                   end
            when metric = 'created' and verdict = 'no_data' then
                'Release dates not stored yet: run ecotrends seed.'
            when metric = 'created' then
                format('{} was first released on {}, {} on {} (first public releases; repository creation where none is known).',
                       subjects[1], release.first_born, subjects[2], release.second_born)
            when kind = 'value' and not first_subject.is_level and claim_rate_days(unit) is null then
                format('{} {} is a count over time: the claim''s unit must give its rate (for example "{} per week", not "{}") to be judged.',
                       source, metric, split_part(coalesce(unit, metric), ' ', 1), coalesce(unit, 'no unit'))
            when chosen.coverage is null or chosen.coverage = 0 then
                format('No {} data for {} in {}..{}.', source, array_to_string(subjects, ', '),
                       period_start, period_end)
            when chosen.coverage < min_coverage() then
                format('The best evidence, {}, covers only {}..{} of the claimed {}..{} ({}%); at least {}% is needed.',
                       chosen.label, chosen.covered_from, chosen.covered_to, period_start, period_end,
                       round(100 * chosen.coverage)::integer, round(100 * min_coverage())::integer)
                || coalesce(' No points at all for ' || array_to_string(chosen.missing, ', ') || '.', '')
            else format('Judged on {} (rung {} of the evidence ladder), covering {}..{} of the claimed {}..{} ({}%).',
                        chosen.label, chosen.rung, chosen.covered_from, chosen.covered_to, period_start, period_end,
                        round(100 * chosen.coverage)::integer)
        end as rests_on,
        -- the decisive numbers
        case
            when kind in ('uncheckable', 'release_date') or metric = 'created' or verdict = 'no_data' then null
            when kind = 'value' and not first_subject.is_level then
                format('{} averaged {}{} over {}..{} ({} points); the claim says {}{}.', subjects[1],
                       fmt_number(measured_value), regexp_extract(unit, ' per \w+$'),
                       first_subject.first_date, first_subject.last_date, first_subject.points,
                       fmt_number(claimed_value), regexp_extract(unit, ' per \w+$'))
            when kind = 'value' then
                format('{} ranged from {} ({}) to {} ({}); the claim says {}: {}.', subjects[1],
                       fmt_number(first_subject.min_value), first_subject.min_date,
                       fmt_number(first_subject.max_value), first_subject.max_date,
                       fmt_number(claimed_value),
                       case when measured_value = claimed_value
                                then format('first reached on {}', first_subject.first_reached)
                            when claimed_value < first_subject.min_value
                                then format('{} below the lowest value',
                                            fmt_share(1 - claimed_value / first_subject.min_value))
                            else format('{} above the highest value',
                                        fmt_share(claimed_value / first_subject.max_value - 1))
                       end)
            when kind = 'share' and metric = 'share_of_deep_learning' then
                format('{} was named in {} of {} papers: {}; the claim says {}%.', subjects[1],
                       fmt_number(first_subject.total_value), fmt_number(first_subject.total_denominator),
                       printf('%.2f%%', measured_value), claimed_value)
            when kind = 'share' then
                format('{} had {} of the mentions of {} ({}); the claim says {}%.', subjects[1],
                       printf('%.1f%%', measured_value), array_to_string(subjects, ' and '), projects.subject_totals,
                       claimed_value)
            when kind = 'comparison' then
                format('{} averaged {} against {}{} for {}; ahead on {} of {} common days, the last on {}.',
                       subjects[1], fmt_number(first_subject.mean_per_day * first_subject.unit_days),
                       fmt_number(second_subject.mean_per_day * second_subject.unit_days), first_subject.unit_label,
                       subjects[2], crossing.ahead_days, crossing.common_days, crossing.last_common)
            when kind = 'rank' then
                format('Places by {}: {}; the claim puts {} in the first {}.',
                       case when first_subject.is_level then 'mean level' else 'mean count' end, projects.standings,
                       array_to_string(subjects, ' and '), coalesce(top_places, len(subjects)))
            when kind = 'growth' then
                format('{} went from {}{} (mean of the first quarter of its points, from {}) to {} (the last quarter, up to {}): {}.',
                       subjects[1], fmt_number(first_subject.first_quarter_mean * first_subject.unit_days),
                       first_subject.unit_label, first_subject.first_date,
                       fmt_number(first_subject.last_quarter_mean * first_subject.unit_days), first_subject.last_date,
                       printf('%+.1f%%', measured_value))
                || coalesce(format(' Over the same window: {}{}.', projects.rival,
                                   case when projects.rival_change >= measured_value then ', as fast or faster'
                                        else ', slower' end),
                            '')
            when kind = 'crossover' then
                case
                    when crossing.overtaken_on is not null
                        then format('{} overtook {} on {} and stayed ahead up to {}.',
                                    subjects[1], subjects[2], crossing.overtaken_on, crossing.last_common)
                    when crossing.last_not_ahead is null
                        then format('{} was ahead of {} on every common day from {} on.',
                                    subjects[1], subjects[2], crossing.first_common)
                    else format('{} was not ahead of {} on {}, the last common day.', subjects[1], subjects[2],
                                crossing.last_common)
                end
        end as numbers,
        -- proxies: shown, labelled, never a verdict
        case
            when kind = 'uncheckable' and proxy is not null and chosen.coverage > 0 then
                format('Proxy, not a check: {} in {}..{}: {}.', chosen.label, period_start, period_end,
                       projects.proxy_values)
            when kind = 'uncheckable' and proxy is not null then
                format('Proxy ({}): no data in {}..{}.', proxy, period_start, period_end)
        end as proxy,
        -- the part of the claim no series measures
        case when verdict = 'partly_supported' then 'Not measured: ' || unmeasured || '.' end as not_measured,
        -- what fills a claim without data
        case
            when verdict = 'no_data' and kind not in ('release_date', 'uncheckable') and metric <> 'created'
                then 'Fill it with: ' || coalesce(fill_command, 'ecotrends import') || '.'
        end as fill,
        -- where the numbers come from
        case when first_subject.origin is not null and kind <> 'uncheckable' and verdict <> 'no_data'
             then 'Origin: ' || first_subject.origin || '.' end as origin,
        case when kind = 'release_date' and release.released_on is not null
             then 'Origin of the release date: ' || release.released_origin || '.' end as release_origin,
        -- methodology breaks of the chosen series in the period
        case when break_names is not null then 'Methodology break in the period: ' || break_names || '.' end as break_note
    from facts
),
final as (
    -- the parts in reading order, the missing ones left out
    select
        claim_id,
        concat_ws(' ', rests_on, numbers, proxy, not_measured, fill, origin, release_origin, break_note)
            as explanation
    from parts
)
select * from final;

create or replace view claim_verdicts as
with facts as materialized (
    select * from claim_verdict_facts
)
select
    f.claim_id,
    f.verdict,
    f.measured_value,
    f.chosen.rung as rung,
    f.chosen.label as evidence,
    f.chosen.evidence_source as evidence_source,
    f.chosen.evidence_metric as evidence_metric,
    f.chosen.coverage as coverage,
    f.chosen.covered_from as covered_from,
    f.chosen.covered_to as covered_to,
    f.decisive_date,
    e.explanation
from facts as f
join claim_explanations_of('facts') as e using (claim_id);

comment on view claim_verdicts is 'The verdict of each claim with the measured value, the evidence it rests on (rung, coverage) and an explanation a reader can verify.';
comment on column claim_verdicts.claim_id is 'Claim id.';
comment on column claim_verdicts.verdict is 'supported, partly_supported, inaccurate, contradicted, uncheckable or no_data.';
comment on column claim_verdicts.measured_value is 'Measured counterpart of the claim (see claim_checks).';
comment on column claim_verdicts.rung is 'Rung of the evidence ladder the verdict rests on.';
comment on column claim_verdicts.evidence is 'The series the verdict rests on.';
comment on column claim_verdicts.evidence_source is 'Source of that series.';
comment on column claim_verdicts.evidence_metric is 'Metric of that series (in project_series).';
comment on column claim_verdicts.coverage is 'Share of the claimed period that series covers, 0 to 1.';
comment on column claim_verdicts.covered_from is 'First day covered.';
comment on column claim_verdicts.covered_to is 'Last day covered.';
comment on column claim_verdicts.decisive_date is 'The day that decides it: a release, the day a level reached the claimed value, the day one framework overtook another, the last day measured.';
comment on column claim_verdicts.explanation is 'The evidence, the numbers, their dates and origin, proxies, what was not measured, and any methodology break.';
