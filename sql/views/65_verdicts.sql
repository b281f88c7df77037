-- Claims, step 6 of 8: the verdicts and the numbers that decide them.
--   claim_verdict_facts   view: one row per claim: what each step found for it (the chosen rung, the first and
--                         second subject's statistics, the numbers of all its projects together, the crossing,
--                         the release dates, the command that fills it, any methodology break), the measured value,
--                         the verdict and the decisive date. It reads claim_chosen_evidence once and hands it to
--                         the statistics and crossings by name. The sentence that explains a verdict is written
--                         from these facts and the claim's own fields (66_explanations.sql).

create or replace view claim_verdict_facts as
with chosen_evidence as materialized (
    select * from claim_chosen_evidence
),
chosen_rungs as materialized (
    -- the chosen rung and its coverage, one row per claim
    select
        claim_id, any_value(rung) as rung, any_value(label) as label, any_value(evidence_source) as evidence_source,
        any_value(evidence_metric) as evidence_metric, any_value(coverage) as coverage,
        any_value(covered_from) as covered_from, any_value(covered_to) as covered_to, any_value(missing) as missing
    from chosen_evidence
    group by claim_id
),
statistics as materialized (
    select * from claim_statistics_of('chosen_evidence')
),
crossings as materialized (
    select * from claim_crossings_of('chosen_evidence')
),
releases as materialized (
    select * from claim_releases
),
first_subjects as (
    select * from statistics where position = 1
),
second_subjects as (
    select * from statistics where position = 2
),
places as (
    -- rank claims: the place of every subject and alternative by mean level or mean count per day
    select s.*, rank() over (partition by s.claim_id, s.role in ('subject', 'alternative') order by s.mean_per_day desc)
        as place, coalesce(c.top_places, len(c.subjects)) as top_places
    from statistics as s
    join claim as c using (claim_id)
),
project_totals as (
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
    from chosen_rungs as v
    join claim as c using (claim_id)
    join methodology_break as b
        on b.source = v.evidence_source and v.evidence_metric glob b.metric
        and b.date between c.period_start and c.period_end
    group by v.claim_id
),
facts as materialized (
    -- each claim with the row every step gave it, as a struct named after the step (first_subject.min_value: the
    -- first subject's smallest value; a step without a row for the claim gives a struct of nulls). Materialized:
    -- else each field read below packs its struct again
    select
        c.*,
        chosen,
        first_subject,
        second_subject,
        projects,
        crossing,
        release,
        fill_hint.command as fill_command,
        breaks.names as break_names
    from claim as c
    left join chosen_rungs as chosen using (claim_id)
    left join first_subjects as first_subject using (claim_id)
    left join second_subjects as second_subject using (claim_id)
    left join crossings as crossing using (claim_id)
    left join releases as release using (claim_id)
    left join project_totals as projects using (claim_id)
    left join fill_hints as fill_hint on fill_hint.source = c.source
    left join breaks using (claim_id)
),
measured as (
    select *,
        case kind
            when 'value' then
                case when first_subject.is_level
                         then greatest(first_subject.min_value, least(first_subject.max_value, claimed_value))
                     else first_subject.mean_per_day * claim_rate_days(unit) end
            when 'share' then
                100 * first_subject.total_value
                / nullif(case when metric = 'share_of_deep_learning' then first_subject.total_denominator
                              else projects.subjects_total end, 0)
            when 'comparison' then first_subject.mean_per_day
            when 'rank' then first_subject.mean_per_day
            when 'growth' then first_subject.change_percent
            when 'crossover' then crossing.last_lead
        end as measured_value
    from facts
),
judged as (
    select *,
        case
            when kind = 'uncheckable' then 'uncheckable'
            when kind = 'release_date' then
                case
                    when release.created_on is null and release.released_on is null and release.uploaded_on is null
                        then 'no_data'
                    when release.released_on between period_start and period_end then 'supported'
                    -- no first public release is stored (a catalogue project): creation or first upload in the
                    -- period holds, the release itself is not measured
                    when release.released_on is null and (release.created_on between period_start and period_end
                        or release.uploaded_on between period_start and period_end) then 'partly_supported'
                    when release.created_on between period_start and period_end
                        or release.uploaded_on between period_start and period_end then 'inaccurate'
                    else 'contradicted'
                end
            when metric = 'created' then
                case
                    when release.first_born is null or release.second_born is null then 'no_data'
                    when release.first_born > release.second_born then 'supported'
                    else 'contradicted'
                end
            when chosen.coverage is null or chosen.coverage < min_coverage() or measured_value is null then 'no_data'
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
                    when measured_value > second_subject.mean_per_day then 'supported'
                    when measured_value < second_subject.mean_per_day then 'contradicted'
                    else 'inaccurate'
                end
            when kind = 'rank' then
                case
                    when projects.subjects_on_top = len(subjects) then 'supported'
                    when projects.subjects_on_top > 0 then 'inaccurate'
                    else 'contradicted'
                end
            when kind = 'growth' then
                case
                    when first_subject.points < 2 then 'no_data'
                    when direction = 'up' and measured_value > 5 and projects.rival_change >= measured_value
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
                    when crossing.last_lead is null then 'no_data'
                    when crossing.overtaken_on between period_start and period_end then 'supported'
                    when crossing.overtaken_on < period_start then 'inaccurate'
                    when crossing.last_not_ahead is null and crossing.first_common < period_start then 'contradicted'
                    when crossing.last_not_ahead is null then 'no_data'
                    else 'contradicted'
                end
        end as judged_verdict
    from measured
),
final as (
    select
        claim_id,
        -- a claim whose measured part holds is partly supported when the register names a part no series measures
        case when judged_verdict = 'supported' and unmeasured is not null then 'partly_supported'
             else judged_verdict end as verdict,
        measured_value,
        case
            when kind = 'release_date' then coalesce(
                case when release.released_on between period_start and period_end then release.released_on end,
                case when release.created_on between period_start and period_end then release.created_on end,
                case when release.uploaded_on between period_start and period_end then release.uploaded_on end,
                release.released_on)
            when kind = 'value' and not first_subject.is_level then first_subject.last_date
            when kind = 'value' then coalesce(first_subject.first_reached,
                                              case when claimed_value < first_subject.min_value
                                                       then first_subject.min_date
                                                   else first_subject.max_date end)
            when kind in ('comparison', 'crossover') then coalesce(crossing.overtaken_on, crossing.last_common)
            when kind in ('growth', 'rank', 'share') then first_subject.last_date
        end as decisive_date,
        chosen,
        first_subject,
        second_subject,
        projects,
        crossing,
        release,
        fill_command,
        break_names
    from judged
)
select * from final;

comment on view claim_verdict_facts is 'The verdict of each claim with its measured value, its decisive date and the facts both rest on: the row each step gave the claim, as a struct (chosen.coverage, first_subject.min_value, crossing.overtaken_on). claim_verdicts adds the sentence that explains them.';
comment on column claim_verdict_facts.claim_id is 'Claim id.';
comment on column claim_verdict_facts.verdict is 'supported, partly_supported, inaccurate, contradicted, uncheckable or no_data.';
comment on column claim_verdict_facts.measured_value is 'Measured counterpart of the claim (see claim_checks).';
comment on column claim_verdict_facts.decisive_date is 'The day that decides it (see claim_verdicts).';
comment on column claim_verdict_facts.chosen is 'The chosen rung and its coverage: the claim''s row of claim_coverage where chosen.';
comment on column claim_verdict_facts.first_subject is 'The first subject''s row of claim_statistics.';
comment on column claim_verdict_facts.second_subject is 'The second subject''s row of claim_statistics.';
comment on column claim_verdict_facts.projects is 'All the claim''s projects together: the subjects'' totals (shares), the proxy''s numbers, the standings and how many subjects hold the first places (ranks), the fastest rival''s growth.';
comment on column claim_verdict_facts.crossing is 'The claim''s row of claim_crossings.';
comment on column claim_verdict_facts.release is 'The claim''s row of claim_releases.';
comment on column claim_verdict_facts.fill_command is 'The commands that collect the claim''s source, as a reader types them.';
comment on column claim_verdict_facts.break_names is 'Methodology breaks of the chosen series in the claimed period.';
