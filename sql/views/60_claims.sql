-- Claims: every series a claim can be checked against, per project, and the verdict of each claim.

-- Numbers for people: thousands separators for large values, two decimals for small ones.
create or replace macro fmt_number(x) as
    case when abs(x) >= 100 then format('{:,}', round(x)::bigint) else printf('%.2f', x) end;

create or replace view claim_series as
select p.project_id as subject, 'github' as source, 'stars' as metric, o.date, o.window_days, o.value,
    null::double as denominator, o.origin
from observation as o
join project as p on lower(p.github_repo) = lower(o.subject)
where o.source = 'github' and o.metric = 'stars'
union all
select pp.project_id, 'pypi', o.metric, o.date, o.window_days, sum(o.value), null, min(o.origin)
from observation as o
join project_package as pp on pp.package = o.subject
where o.source = 'pypi' and o.metric like 'downloads%'
group by pp.project_id, o.metric, o.date, o.window_days
union all
select subject, 'arxiv', 'papers_mentioning', date, window_days, value, null, origin
from observation
where source = 'arxiv' and metric = 'papers_mentioning'
union all
select m.subject, 'arxiv', 'share_of_deep_learning', m.date, m.window_days, m.value, t.value, m.origin
from observation as m
join observation as t
    on t.source = 'arxiv' and t.metric = 'papers_total' and t.subject = 'deep-learning' and t.date = m.date
where m.source = 'arxiv' and m.metric = 'papers_mentioning'
union all
select p.project_id, 'trends', 'interest', o.date, o.window_days, o.value, null, o.origin
from observation as o
join project as p on lower(p.trends_term) = lower(o.subject)
where o.source = 'trends' and o.metric = 'interest'
union all
select subject, source, metric, date, window_days, value, null, origin
from observation
where source not in ('github', 'pypi', 'arxiv', 'trends');

comment on view claim_series is 'Every series a claim can be checked against, keyed by project id (repositories, packages and Trends terms mapped to their project).';
comment on column claim_series.subject is 'Project id (or the subject of an imported series).';
comment on column claim_series.source is 'Source of the series.';
comment on column claim_series.metric is 'Metric, as named in the claims register.';
comment on column claim_series.date is 'Day of a level, or last day of a count''s window.';
comment on column claim_series.window_days is '0 for a level, else the window length in days.';
comment on column claim_series.value is 'The value (summed over a project''s packages for PyPI).';
comment on column claim_series.denominator is 'For share_of_deep_learning: the deep-learning papers that month.';
comment on column claim_series.origin is 'Provenance of the value.';

create or replace view claim_checks as
with checkable as (
    select * from claim where kind not in ('uncheckable', 'release_date') and metric <> 'created'
),
-- PyPI claims name the without-mirrors series; older periods are covered only by other download series.
candidates(source, claimed_metric, metric, preference) as (
    values ('pypi', 'downloads_without_mirrors', 'downloads_without_mirrors', 1),
           ('pypi', 'downloads_without_mirrors', 'downloads_with_mirrors', 2),
           ('pypi', 'downloads_without_mirrors', 'downloads_clickpy', 3),
           ('pypi', 'downloads_without_mirrors', 'downloads', 4)
),
claim_metric as (
    select c.claim_id, coalesce(k.metric, c.metric) as metric, coalesce(k.preference, 1) as preference
    from checkable as c
    left join candidates as k on k.source = c.source and k.claimed_metric = c.metric
),
points as (
    select c.claim_id, m.metric, m.preference, s.subject, s.date, s.window_days, s.value, s.denominator, s.origin
    from checkable as c
    join claim_metric as m using (claim_id)
    join claim_series as s
        on s.source = c.source and s.metric = m.metric and list_contains(c.subjects, s.subject)
    where s.date between c.period_start and c.period_end
),
chosen as (
    select claim_id, arg_min(metric, preference) as metric
    from (
        select p.claim_id, p.metric, p.preference
        from points as p
        join checkable as c using (claim_id)
        group by p.claim_id, p.metric, p.preference, c.subjects
        having count(distinct p.subject) = len(c.subjects)
    )
    group by claim_id
),
ranked as (
    select p.*, ntile(4) over (partition by p.claim_id, p.subject order by p.date) as quarter,
        least(4, count(*) over (partition by p.claim_id, p.subject)) as last_quarter
    from points as p
    join chosen as ch on ch.claim_id = p.claim_id and ch.metric = p.metric
),
stats as (
    select
        claim_id, subject, metric,
        count(*) as points,
        min(value) as min_value, arg_min(date, value) as min_date,
        max(value) as max_value, arg_max(date, value) as max_date,
        avg(case when window_days > 0 then value / window_days else value end) as mean_value,
        sum(value) as total_value,
        sum(denominator) as total_denominator,
        bool_or(window_days = 0) as is_level,
        min(date) as first_date, max(date) as last_date,
        avg(case when window_days > 0 then value / window_days else value end) filter (where quarter = 1)
            as first_quarter_mean,
        avg(case when window_days > 0 then value / window_days else value end) filter (where quarter = last_quarter)
            as last_quarter_mean,
        min(origin) || case when count(distinct origin) > 1
                            then format(' (and {} more)', count(distinct origin) - 1) else '' end as origin
    from ranked
    group by claim_id, subject, metric
),
measured as (
    select
        c.claim_id,
        ch.metric,
        a.points,
        -- value: the measured value nearest the claim during the period
        case c.kind
            when 'value' then greatest(a.min_value, least(a.max_value, c.claimed_value))
            when 'share' then
                case when c.metric = 'share_of_deep_learning'
                     then 100 * a.total_value / nullif(a.total_denominator, 0)
                     else 100 * a.total_value / nullif((select sum(s.total_value) from stats as s
                                                        where s.claim_id = c.claim_id), 0) end
            when 'comparison' then a.mean_value
            when 'growth' then 100 * (a.last_quarter_mean - a.first_quarter_mean) / nullif(a.first_quarter_mean, 0)
        end as measured_value,
        b.mean_value as other_value,
        a.min_value, a.min_date, a.max_value, a.max_date, a.first_date, a.last_date, a.is_level,
        a.first_quarter_mean, a.last_quarter_mean, a.total_denominator,
        a.origin
    from checkable as c
    join chosen as ch using (claim_id)
    join stats as a on a.claim_id = c.claim_id and a.subject = c.subjects[1]
    left join stats as b on b.claim_id = c.claim_id and b.subject = c.subjects[2] and c.kind = 'comparison'
),
release_evidence as (
    select
        c.claim_id,
        gh.date as created_on,
        gh.subject as repo,
        (select min(e.date) from subject_event as e
         join project_package as pp on pp.package = e.subject
         where e.source = 'pypi' and e.event = 'first_release' and pp.project_id = c.subjects[1]) as first_upload,
        (select arg_min(e.subject, e.date) from subject_event as e
         join project_package as pp on pp.package = e.subject
         where e.source = 'pypi' and e.event = 'first_release' and pp.project_id = c.subjects[1]) as first_package,
        (select g2.date from subject_event as g2 join project as p2 on lower(p2.github_repo) = lower(g2.subject)
         where g2.source = 'github' and g2.event = 'created' and p2.project_id = c.subjects[2]) as other_created_on
    from claim as c
    left join project as p on p.project_id = c.subjects[1]
    left join subject_event as gh
        on gh.source = 'github' and gh.event = 'created' and lower(gh.subject) = lower(p.github_repo)
    where c.kind = 'release_date' or c.metric = 'created'
),
breaks as (
    select c.claim_id, string_agg(distinct b.title || ' (' || b.date || ')', '; ') as names
    from claim as c
    left join chosen as ch using (claim_id)
    join methodology_break as b
        on b.source = c.source and coalesce(ch.metric, c.metric) glob b.metric
        and b.date between c.period_start and c.period_end
    group by c.claim_id
),
verdicts as (
    select
        c.claim_id,
        m.measured_value,
        case
            when c.kind = 'uncheckable' then 'uncheckable'
            when c.kind = 'release_date' then
                case
                    when r.created_on is null then 'no_data'
                    when r.created_on between c.period_start and c.period_end then 'supported'
                    when c.period_end < r.created_on then 'contradicted'
                    when r.first_upload is not null and c.period_start > r.first_upload then 'contradicted'
                    else 'inaccurate'
                end
            when c.metric = 'created' then
                case
                    when r.created_on is null or r.other_created_on is null then 'no_data'
                    when r.created_on > r.other_created_on then 'supported'
                    else 'contradicted'
                end
            when m.claim_id is null then 'no_data'
            when c.kind = 'value' then
                -- off by the distance to the nearest measured value, relative to that value
                case
                    when abs(m.measured_value - c.claimed_value) <= c.tolerance * m.measured_value then 'supported'
                    when abs(m.measured_value - c.claimed_value) < 0.5 * m.measured_value then 'inaccurate'
                    else 'contradicted'
                end
            when c.kind = 'share' then
                case
                    when m.measured_value is null then 'no_data'
                    when abs(m.measured_value - c.claimed_value) <= c.tolerance * c.claimed_value then 'supported'
                    when c.metric = 'share_of_deep_learning'
                        and m.measured_value between c.claimed_value / 2 and c.claimed_value * 2 then 'inaccurate'
                    when c.metric <> 'share_of_deep_learning'
                        and (m.measured_value - 100.0 / len(c.subjects)) * (c.claimed_value - 100.0 / len(c.subjects)) > 0
                        then 'inaccurate'
                    else 'contradicted'
                end
            when c.kind = 'comparison' then
                case
                    when m.measured_value > m.other_value then 'supported'
                    when m.measured_value < m.other_value then 'contradicted'
                    else 'inaccurate'
                end
            when c.kind = 'growth' then
                case
                    when m.points < 2 or m.measured_value is null then 'no_data'
                    when c.direction = 'up' and m.measured_value > 5 then 'supported'
                    when c.direction = 'down' and m.measured_value < -5 then 'supported'
                    when c.direction = 'flat' and abs(m.measured_value) <= 5 then 'supported'
                    when c.direction = 'up' and m.measured_value < -5 then 'contradicted'
                    when c.direction = 'down' and m.measured_value > 5 then 'contradicted'
                    when c.direction = 'flat' and abs(m.measured_value) > 20 then 'contradicted'
                    else 'inaccurate'
                end
        end as verdict,
        case
            when c.kind = 'uncheckable' then
                'Not checkable with the collected sources: ' || c.reason
                || coalesce(' Proxy (only a proxy): ' || c.proxy || '.', '')
            when c.kind = 'release_date' and r.created_on is null then
                'No creation date collected yet for ' || c.subjects[1] || ': run ecotrends collect --source github.'
            when c.kind = 'release_date' then
                format('The GitHub repository {} was created on {}', r.repo, r.created_on)
                || coalesce(format(' and the first file of {} was uploaded to PyPI on {}', r.first_package,
                                   r.first_upload), '')
                || format('; the claim places the release in {}..{}.', c.period_start, c.period_end)
                || case
                       when r.created_on between c.period_start and c.period_end
                           then ' The repository creation falls in the claimed period.'
                       when c.period_end < r.created_on then ' The claimed period ends before the repository existed.'
                       when r.first_upload is not null and c.period_start > r.first_upload
                           then ' The claimed period begins after the first PyPI release.'
                       else ' The claimed period lies between the two dates: a public release may have followed '
                            || 'the repository''s creation, so the claim is possible but not what these dates show.'
                   end
                || ' Origin: GET /repos/{owner}/{repo} created_at; PyPI JSON API upload_time.'
            when c.metric = 'created' then
                coalesce(format('{} was created on {}, {} on {}.', c.subjects[1], r.created_on, c.subjects[2],
                                r.other_created_on),
                         'Creation dates not collected yet: run ecotrends collect --source github.')
            when m.claim_id is null then
                format('No {} {} data for all of {} in {}..{} yet', c.source, c.metric, array_to_string(c.subjects, ', '),
                       c.period_start, c.period_end)
                || case c.source
                       when 'github' then ': run ecotrends collect --source github daily, or import ../shared/snapshot/observations/github.csv.'
                       when 'pypi' then ': run ecotrends backfill --source pypi, or import ../shared/snapshot/observations/pypi.csv.'
                       when 'arxiv' then ': run ecotrends backfill --source arxiv.'
                       when 'trends' then ': run ecotrends backfill --source trends, or import a multiTimeline.csv with ecotrends import --trends-csv.'
                       else ': import the series with ecotrends import.'
                   end
            when c.kind = 'value' then
                format('{} {} ranged from {} ({}) to {} ({}) during {}..{}; the claim says {}, {}. Origin: {}.',
                       c.subjects[1], m.metric, fmt_number(m.min_value), m.min_date,
                       fmt_number(m.max_value), m.max_date, c.period_start, c.period_end,
                       fmt_number(c.claimed_value),
                       case when m.measured_value = c.claimed_value then 'which lies within that range'
                            else printf('%.1f%%', 100 * abs(m.measured_value - c.claimed_value) / m.measured_value)
                                 || ' off the nearest measured value' end,
                       m.origin)
            when c.kind = 'share' and c.metric = 'share_of_deep_learning' then
                format('{} was mentioned in {} of {} deep-learning papers in {}..{}: {}; the claim says {}%. Origin: {}.',
                       c.subjects[1], format('{:,}', (m.measured_value * m.total_denominator / 100)::bigint),
                       fmt_number(m.total_denominator), c.period_start, c.period_end,
                       printf('%.2f%%', m.measured_value), c.claimed_value, m.origin)
            when c.kind = 'share' then
                format('{} had {} of the {} mentions of {} in {}..{} ({}); the claim says {}%. Origin: {}.',
                       c.subjects[1], printf('%.1f%%', m.measured_value), m.metric, array_to_string(c.subjects, ' and '),
                       c.period_start, c.period_end,
                       (select string_agg(s.subject || ' ' || fmt_number(s.total_value), ', ' order by s.subject)
                        from stats as s where s.claim_id = c.claim_id),
                       c.claimed_value, m.origin)
            when c.kind = 'comparison' then
                format('{} averaged {} {} ({}{}) against {} for {} in {}..{}. Origin: {}.',
                       c.subjects[1], fmt_number(m.measured_value), m.metric, c.source,
                       case when m.is_level then '' else ', per day' end,
                       fmt_number(m.other_value), c.subjects[2], c.period_start, c.period_end, m.origin)
            when c.kind = 'growth' then
                format('{} {}{} went from an average of {} in the first quarter of {}..{} to {} in the last quarter ({}). Origin: {}.',
                       c.subjects[1], m.metric, case when m.is_level then '' else ' per day' end, fmt_number(m.first_quarter_mean), m.first_date, m.last_date,
                       fmt_number(m.last_quarter_mean), printf('%+.1f%%', m.measured_value), m.origin)
        end as explanation
    from claim as c
    left join measured as m using (claim_id)
    left join release_evidence as r using (claim_id)
)
select
    c.claim_id,
    a.title as article,
    a.file as article_file,
    a.author,
    a.published,
    c.location,
    c.statement,
    c.kind,
    c.source,
    array_to_string(c.subjects, ', ') as subject,
    c.metric,
    c.period_start,
    c.period_end,
    c.claimed_value,
    c.unit,
    case when c.kind in ('release_date') or c.metric = 'created'
         then extract(year from r.created_on)::double else v.measured_value end as measured_value,
    v.verdict,
    v.explanation || coalesce(' Methodology break in the period: ' || b.names || '.', '') as explanation,
    c.check_method,
    c.contradicts
from claim as c
join claim_article as a using (article_id)
join verdicts as v using (claim_id)
left join release_evidence as r using (claim_id)
left join breaks as b using (claim_id);

comment on view claim_checks is 'Each registered claim beside what the data says: the measured value, a verdict (supported, inaccurate, contradicted, uncheckable, no_data) and an explanation a reader can verify.';
comment on column claim_checks.claim_id is 'Claim id in data/claims.toml.';
comment on column claim_checks.article is 'Title of the article making the claim.';
comment on column claim_checks.article_file is 'Seed file of the article in ../shared/articles/.';
comment on column claim_checks.author is 'Author or site, as far as the article tells.';
comment on column claim_checks.published is 'Publication date as far as the article tells.';
comment on column claim_checks.location is 'Where in the article the claim stands.';
comment on column claim_checks.statement is 'The claim in the project''s words.';
comment on column claim_checks.kind is 'value, share, comparison, growth, release_date or uncheckable.';
comment on column claim_checks.source is 'Source that checks it (none when uncheckable).';
comment on column claim_checks.subject is 'Subjects of the claim, comma separated (a comparison or share lists the first subject first).';
comment on column claim_checks.metric is 'Metric named by the claim.';
comment on column claim_checks.period_start is 'First day of the period the claim refers to.';
comment on column claim_checks.period_end is 'Last day of that period.';
comment on column claim_checks.claimed_value is 'Number claimed (a year for release dates, percent for shares).';
comment on column claim_checks.unit is 'Unit of claimed_value.';
comment on column claim_checks.measured_value is 'Measured counterpart: nearest value in the period (value), percent (share), first subject''s mean or total (comparison), percent change (growth), creation year (release date).';
comment on column claim_checks.verdict is 'supported, inaccurate (right direction, off beyond the tolerance), contradicted, uncheckable, or no_data (checkable but not collected yet).';
comment on column claim_checks.explanation is 'The measured numbers, their dates and origin, and any methodology break in the period.';
comment on column claim_checks.check_method is 'How the claim is checked, from the register.';
comment on column claim_checks.contradicts is 'Claims of other articles that say the opposite.';

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
