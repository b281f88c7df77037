-- Claims, step 6 of 7: the verdicts.
--   claim_verdicts   view: the verdict, the measured value, the evidence it rests on and the sentence that
--                    explains them (evaluates the evidence once and hands it to each step by name)

create or replace view claim_verdicts as
with evidence as materialized (
    select * from claim_evidence
),
coverage as materialized (
    select * from claim_coverage_of('evidence')
),
chosen as materialized (
    select * from coverage where chosen
),
statistics as materialized (
    select * from claim_statistics_of('evidence', 'coverage')
),
crossings as materialized (
    select * from claim_crossings_of('evidence', 'coverage')
),
releases as materialized (
    select * from claim_releases
),
first_subject as (
    select * from statistics where position = 1
),
second_subject as (
    select * from statistics where position = 2
),
places as (
    -- rank claims: the place of every subject and alternative by mean level or mean count per day
    select s.*, rank() over (partition by s.claim_id, s.role in ('subject', 'alternative') order by s.mean_per_day desc)
        as place, coalesce(c.top_places, len(c.subjects)) as top_places
    from statistics as s
    join claim as c using (claim_id)
),
per_claim as (
    -- what the explanations and verdicts read of all a claim's projects together
    select
        p.claim_id,
        -- share claims: the subjects' totals
        sum(p.total_value) filter (where p.role = 'subject') as subjects_total,
        string_agg(p.project_id || ' ' || fmt_number(p.total_value), ', ' order by p.position)
            filter (where p.role = 'subject') as subject_totals,
        -- an uncheckable claim's proxy numbers, labelled as such
        string_agg(p.project_id || ' ' || fmt_number(p.mean_per_day * p.unit_days) || p.unit_label, ', '
                   order by p.mean_per_day desc) as proxy_values,
        -- rank claims: how many subjects hold the first places, and the standings
        count(*) filter (where p.role = 'subject' and p.place <= p.top_places) as subjects_on_top,
        string_agg(format('{}. {} {}{}', p.place, p.project_id, fmt_number(p.mean_per_day * p.unit_days), p.unit_label),
                   ', ' order by p.place) filter (where p.role in ('subject', 'alternative')) as standings,
        -- growth claims: the fastest growth among the frameworks the subject must outpace
        max(p.change_percent) filter (where p.role = 'relative_to') as rival_change,
        arg_max(format('{} {}', p.project_id, printf('%+.1f%%', p.change_percent)), p.change_percent)
            filter (where p.role = 'relative_to') as rival
    from places as p
    group by p.claim_id
),
fill_hints as (
    -- the commands each source declares, as a reader types them
    select source, 'ecotrends ' || array_to_string(string_split(commands, chr(10)), ', or ecotrends ') as command
    from source_fill
),
breaks as (
    select v.claim_id, string_agg(distinct b.title || ' (' || b.date || ')', '; ') as names
    from chosen as v
    join claim as c using (claim_id)
    join methodology_break as b
        on b.source = v.evidence_source and v.evidence_metric glob b.metric
        and b.date between c.period_start and c.period_end
    group by v.claim_id
),
facts as (
    -- what a verdict and its explanation read, one row per claim: the steps joined once, their columns named
    -- step_column (a_min_value: the first subject's smallest value)
    select
        c.*,
        a.change_percent as a_change_percent,
        a.first_date as a_first_date,
        a.first_quarter_mean as a_first_quarter_mean,
        a.first_reached as a_first_reached,
        a.is_level as a_is_level,
        a.last_date as a_last_date,
        a.last_quarter_mean as a_last_quarter_mean,
        a.max_date as a_max_date,
        a.max_value as a_max_value,
        a.mean_per_day as a_mean_per_day,
        a.min_date as a_min_date,
        a.min_value as a_min_value,
        a.origin as a_origin,
        a.points as a_points,
        a.total_denominator as a_total_denominator,
        a.total_value as a_total_value,
        a.unit_days as a_unit_days,
        a.unit_label as a_unit_label,
        b.mean_per_day as b_mean_per_day,
        b.unit_days as b_unit_days,
        br.names as br_names,
        h.command as h_command,
        pc.standings as pc_standings,
        pc.subjects_on_top as pc_subjects_on_top,
        pc.rival as pc_rival,
        pc.rival_change as pc_rival_change,
        r.created_on as r_created_on,
        r.first_born as r_first_born,
        r.released_on as r_released_on,
        r.released_origin as r_released_origin,
        r.second_born as r_second_born,
        r.uploaded_on as r_uploaded_on,
        pc.proxy_values as pc_proxy_values,
        pc.subject_totals as pc_subject_totals,
        pc.subjects_total as pc_subjects_total,
        v.coverage as v_coverage,
        v.covered_from as v_covered_from,
        v.covered_to as v_covered_to,
        v.evidence_metric as v_evidence_metric,
        v.evidence_source as v_evidence_source,
        v.label as v_label,
        v.missing as v_missing,
        v.rung as v_rung,
        x.ahead_days as x_ahead_days,
        x.common_days as x_common_days,
        x.first_common as x_first_common,
        x.last_common as x_last_common,
        x.last_lead as x_last_lead,
        x.last_not_ahead as x_last_not_ahead,
        x.overtaken_on as x_overtaken_on
    from claim as c
    left join chosen as v using (claim_id)
    left join first_subject as a using (claim_id)
    left join second_subject as b using (claim_id)
    left join crossings as x using (claim_id)
    left join releases as r using (claim_id)
    left join per_claim as pc using (claim_id)
    left join fill_hints as h on h.source = c.source
    left join breaks as br using (claim_id)
),
measured as (
    select *,
        case kind
            when 'value' then
                case when a_is_level then greatest(a_min_value, least(a_max_value, claimed_value))
                     else a_mean_per_day * claim_rate_days(unit) end
            when 'share' then
                100 * a_total_value / nullif(case when metric = 'share_of_deep_learning' then a_total_denominator
                                                  else pc_subjects_total end, 0)
            when 'comparison' then a_mean_per_day
            when 'rank' then a_mean_per_day
            when 'growth' then a_change_percent
            when 'crossover' then x_last_lead
        end as measured_value
    from facts
),
judged as (
    select *,
        case
            when kind = 'uncheckable' then 'uncheckable'
            when kind = 'release_date' then
                case
                    when r_created_on is null and r_released_on is null and r_uploaded_on is null then 'no_data'
                    when r_released_on between period_start and period_end then 'supported'
                    when r_created_on between period_start and period_end
                        or r_uploaded_on between period_start and period_end then 'inaccurate'
                    else 'contradicted'
                end
            when metric = 'created' then
                case
                    when r_first_born is null or r_second_born is null then 'no_data'
                    when r_first_born > r_second_born then 'supported'
                    else 'contradicted'
                end
            when v_coverage is null or v_coverage < min_coverage() or measured_value is null then 'no_data'
            when kind = 'value' then
                case
                    when abs(measured_value - claimed_value) <= tolerance * measured_value then 'supported'
                    when abs(measured_value - claimed_value) < 0.5 * measured_value then 'inaccurate'
                    else 'contradicted'
                end
            when kind = 'share' then
                case
                    when abs(measured_value - claimed_value) <= tolerance * claimed_value then 'supported'
                    when metric = 'share_of_deep_learning'
                        and measured_value between claimed_value / 2 and claimed_value * 2 then 'inaccurate'
                    when metric <> 'share_of_deep_learning'
                        and (measured_value - 100.0 / len(subjects)) * (claimed_value - 100.0 / len(subjects)) > 0
                        then 'inaccurate'
                    else 'contradicted'
                end
            when kind = 'comparison' then
                case
                    when measured_value > b_mean_per_day then 'supported'
                    when measured_value < b_mean_per_day then 'contradicted'
                    else 'inaccurate'
                end
            when kind = 'rank' then
                case
                    when pc_subjects_on_top = len(subjects) then 'supported'
                    when pc_subjects_on_top > 0 then 'inaccurate'
                    else 'contradicted'
                end
            when kind = 'growth' then
                case
                    when a_points < 2 then 'no_data'
                    when direction = 'up' and measured_value > 5 and pc_rival_change >= measured_value
                        then 'inaccurate'
                    when direction = 'up' and measured_value > 5 then 'supported'
                    when direction = 'down' and measured_value < -5 then 'supported'
                    when direction = 'flat' and abs(measured_value) <= 5 then 'supported'
                    when direction = 'up' and measured_value < -5 then 'contradicted'
                    when direction = 'down' and measured_value > 5 then 'contradicted'
                    when direction = 'flat' and abs(measured_value) > 20 then 'contradicted'
                    else 'inaccurate'
                end
            when kind = 'crossover' then
                case
                    when x_last_lead is null then 'no_data'
                    when x_overtaken_on between period_start and period_end then 'supported'
                    when x_overtaken_on < period_start then 'inaccurate'
                    when x_last_not_ahead is null and x_first_common < period_start then 'contradicted'
                    when x_last_not_ahead is null then 'no_data'
                    else 'contradicted'
                end
        end as judged_verdict
    from measured
),
partly as (
    select *, case when judged_verdict = 'supported' and unmeasured is not null then 'partly_supported'
                   else judged_verdict end as verdict
    from judged
)
select
    claim_id,
    verdict,
    measured_value,
    v_rung as rung,
    v_label as evidence,
    v_evidence_source as evidence_source,
    v_evidence_metric as evidence_metric,
    v_coverage as coverage,
    v_covered_from as covered_from,
    v_covered_to as covered_to,
    case
        when kind = 'release_date' then coalesce(
            case when r_released_on between period_start and period_end then r_released_on end,
            case when r_created_on between period_start and period_end then r_created_on end,
            case when r_uploaded_on between period_start and period_end then r_uploaded_on end,
            r_released_on)
        when kind = 'value' and not a_is_level then a_last_date
        when kind = 'value' then coalesce(a_first_reached, case when claimed_value < a_min_value then a_min_date
                                                                   else a_max_date end)
        when kind in ('comparison', 'crossover') then coalesce(x_overtaken_on, x_last_common)
        when kind in ('growth', 'rank', 'share') then a_last_date
    end as decisive_date,
    concat_ws(' ',
        -- what the verdict rests on
        case
            when kind = 'uncheckable' then 'Not checkable with the collected sources: ' || reason || '.'
            when kind = 'release_date' and verdict = 'no_data' then
                format('No dated milestone of {} is stored: run ecotrends seed, or ecotrends collect --source github.',
                       subjects[1])
            when kind = 'release_date' then
                format('{}: repository created {}; first public release {}; first PyPI upload {}.', subjects[1],
                       coalesce(r_created_on::varchar, 'unknown'),
                       coalesce(r_released_on::varchar || ' (' || split_part(r_released_origin, ':', 1) || ')',
                                'unknown'),
                       coalesce(r_uploaded_on::varchar, 'unknown'))
                || format(' The claim places the release in {}..{}', period_start, period_end)
                || case
                       when r_released_on between period_start and period_end
                           then ', which holds the first public release: the meaning of "released".'
                       when r_created_on between period_start and period_end
                           then format(', which holds the repository''s creation ({}) but not the first public release ({}): the claim''s year is that of the repository, not of the release.', r_created_on, r_released_on)
                       when r_uploaded_on between period_start and period_end
                           then format(', which holds the first PyPI upload ({}) but not the first public release ({}).', r_uploaded_on, r_released_on)
                       else ', which holds none of these milestones.'
                   end
            when metric = 'created' and verdict = 'no_data' then
                'Release dates not stored yet: run ecotrends seed.'
            when metric = 'created' then
                format('{} was first released on {}, {} on {} (first public releases; repository creation where none is known).',
                       subjects[1], r_first_born, subjects[2], r_second_born)
            when kind = 'value' and not a_is_level and claim_rate_days(unit) is null then
                format('{} {} is a count over time: the claim''s unit must give its rate (for example "{} per week", not "{}") to be judged.',
                       source, metric, split_part(coalesce(unit, metric), ' ', 1), coalesce(unit, 'no unit'))
            when v_coverage is null or v_coverage = 0 then
                format('No {} data for {} in {}..{}.', source, array_to_string(subjects, ', '),
                       period_start, period_end)
            when v_coverage < min_coverage() then
                format('The best evidence, {}, covers only {}..{} of the claimed {}..{} ({}%); at least {}% is needed.',
                       v_label, v_covered_from, v_covered_to, period_start, period_end,
                       round(100 * v_coverage)::integer, round(100 * min_coverage())::integer)
                || coalesce(' No points at all for ' || array_to_string(v_missing, ', ') || '.', '')
            else format('Judged on {} (rung {} of the evidence ladder), covering {}..{} of the claimed {}..{} ({}%).',
                        v_label, v_rung, v_covered_from, v_covered_to, period_start, period_end,
                        round(100 * v_coverage)::integer)
        end,
        -- the decisive numbers
        case
            when kind in ('uncheckable', 'release_date') or metric = 'created' or verdict = 'no_data' then null
            when kind = 'value' and not a_is_level then
                format('{} averaged {}{} over {}..{} ({} points); the claim says {}{}.', subjects[1],
                       fmt_number(measured_value), regexp_extract(unit, ' per \w+$'), a_first_date, a_last_date,
                       a_points, fmt_number(claimed_value), regexp_extract(unit, ' per \w+$'))
            when kind = 'value' then
                format('{} ranged from {} ({}) to {} ({}); the claim says {}: {}.', subjects[1],
                       fmt_number(a_min_value), a_min_date, fmt_number(a_max_value), a_max_date,
                       fmt_number(claimed_value),
                       case when measured_value = claimed_value then format('first reached on {}', a_first_reached)
                            when claimed_value < a_min_value
                                then format('{} below the lowest value', fmt_share(1 - claimed_value / a_min_value))
                            else format('{} above the highest value', fmt_share(claimed_value / a_max_value - 1))
                       end)
            when kind = 'share' and metric = 'share_of_deep_learning' then
                format('{} was named in {} of {} papers: {}; the claim says {}%.', subjects[1],
                       fmt_number(a_total_value), fmt_number(a_total_denominator),
                       printf('%.2f%%', measured_value), claimed_value)
            when kind = 'share' then
                format('{} had {} of the mentions of {} ({}); the claim says {}%.', subjects[1],
                       printf('%.1f%%', measured_value), array_to_string(subjects, ' and '),
                       pc_subject_totals,
                       claimed_value)
            when kind = 'comparison' then
                format('{} averaged {} against {}{} for {}; ahead on {} of {} common days, the last on {}.',
                       subjects[1], fmt_number(a_mean_per_day * a_unit_days),
                       fmt_number(b_mean_per_day * b_unit_days), a_unit_label, subjects[2], x_ahead_days,
                       x_common_days, x_last_common)
            when kind = 'rank' then
                format('Places by {}: {}; the claim puts {} in the first {}.',
                       case when a_is_level then 'mean level' else 'mean count' end, pc_standings, array_to_string(subjects, ' and '), coalesce(top_places, len(subjects)))
            when kind = 'growth' then
                format('{} went from {}{} (mean of the first quarter of its points, from {}) to {} (the last quarter, up to {}): {}.',
                       subjects[1], fmt_number(a_first_quarter_mean * a_unit_days), a_unit_label, a_first_date,
                       fmt_number(a_last_quarter_mean * a_unit_days), a_last_date, printf('%+.1f%%', measured_value))
                || coalesce(format(' Over the same window: {}{}.', pc_rival,
                                   case when pc_rival_change >= measured_value then ', as fast or faster' else ', slower' end),
                            '')
            when kind = 'crossover' then
                case
                    when x_overtaken_on is not null then format('{} overtook {} on {} and stayed ahead up to {}.',
                                                                subjects[1], subjects[2], x_overtaken_on, x_last_common)
                    when x_last_not_ahead is null then format('{} was ahead of {} on every common day from {} on.',
                                                              subjects[1], subjects[2], x_first_common)
                    else format('{} was not ahead of {} on {}, the last common day.', subjects[1], subjects[2],
                                x_last_common)
                end
        end,
        -- proxies: shown, labelled, never a verdict
        case
            when kind = 'uncheckable' and proxy is not null and v_coverage > 0 then
                format('Proxy, not a check: {} in {}..{}: {}.', v_label, period_start, period_end,
                       pc_proxy_values)
            when kind = 'uncheckable' and proxy is not null then
                format('Proxy ({}): no data in {}..{}.', proxy, period_start, period_end)
        end,
        case when verdict = 'partly_supported' then 'Not measured: ' || unmeasured || '.' end,
        case
            when verdict = 'no_data' and kind not in ('release_date', 'uncheckable') and metric <> 'created'
                then 'Fill it with: ' || coalesce(h_command, 'ecotrends import') || '.'
        end,
        case when a_origin is not null and kind <> 'uncheckable' and verdict <> 'no_data'
             then 'Origin: ' || a_origin || '.' end,
        case when kind = 'release_date' and r_released_on is not null
             then 'Origin of the release date: ' || r_released_origin || '.' end,
        case when br_names is not null then 'Methodology break in the period: ' || br_names || '.' end
    ) as explanation
from partly;

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
