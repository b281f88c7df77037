-- GitHub: daily snapshots of the repository counters, and the star history endpoint kept apart.
create or replace view github_stars_daily as
with snapshots as (
    select subject as repo, date, metric, value
    from observation
    where source = 'github' and window_days = 0
)
select
    s.repo,
    p.project_id,
    s.date,
    max(s.value) filter (where s.metric = 'stars')::bigint as stars,
    max(s.value) filter (where s.metric = 'forks')::bigint as forks,
    max(s.value) filter (where s.metric = 'watchers')::bigint as watchers,
    max(s.value) filter (where s.metric = 'open_issues')::bigint as open_issues
from snapshots as s
left join project_subject as p on p.source = 'github' and p.subject = s.repo
group by s.repo, p.project_id, s.date;

comment on view github_stars_daily is 'One row per repository and day: the counters GitHub showed that day (collected snapshots and imported daily archives).';
comment on column github_stars_daily.repo is 'Repository owner/name.';
comment on column github_stars_daily.project_id is 'Tracked project of this repository, null when not tracked.';
comment on column github_stars_daily.date is 'Day of the snapshot (UTC).';
comment on column github_stars_daily.stars is 'stargazers_count shown that day: the exact star count.';
comment on column github_stars_daily.forks is 'forks_count that day.';
comment on column github_stars_daily.watchers is 'subscribers_count that day: people watching for notifications (not watchers_count, which is stars).';
comment on column github_stars_daily.open_issues is 'open_issues_count that day: open issues plus open pull requests.';

create or replace view github_star_history as
with given as (
    select subject as repo, date, value as stars_given, origin
    from observation
    where source = 'github' and metric = 'stars_given_retained' and window_days = 1
)
select
    g.repo,
    p.project_id,
    g.date,
    g.stars_given::bigint as stars_given,
    sum(g.stars_given) over (partition by g.repo order by g.date)::bigint as retained_stars_cumulative,
    g.origin
from given as g
left join project_subject as p on p.source = 'github' and p.subject = g.repo;

comment on view github_star_history is 'Retained stars by the day they were given, from GET /repos/{owner}/{repo}/stargazers/history. Stars later removed are missing, so the cumulative sum is below the count shown on that date.';
comment on column github_star_history.repo is 'Repository owner/name.';
comment on column github_star_history.project_id is 'Tracked project of this repository, null when not tracked.';
comment on column github_star_history.date is 'Day the stars were given (GitHub does not promise UTC boundaries).';
comment on column github_star_history.stars_given is 'Stars given on that day that still exist now.';
comment on column github_star_history.retained_stars_cumulative is 'Running total of retained stars up to that day: not the star count shown on that day.';
comment on column github_star_history.origin is 'The endpoint the day''s count was read from.';

create or replace view github_repositories as
select
    e.subject as repo,
    p.project_id,
    e.date as created_on,
    e.origin
from subject_event as e
left join project_subject as p on p.source = 'github' and p.subject = e.subject
where e.source = 'github' and e.event = 'created';

comment on view github_repositories is 'Creation date of each collected repository (created_at of GET /repos/{owner}/{repo}).';
comment on column github_repositories.repo is 'Repository owner/name.';
comment on column github_repositories.project_id is 'Tracked project of this repository.';
comment on column github_repositories.created_on is 'Day the repository was created on GitHub (UTC).';
comment on column github_repositories.origin is 'Endpoint the date was read from.';

create or replace view github_star_events_daily as
select
    o.subject as repo,
    p.project_id,
    o.date,
    o.value::bigint as star_events,
    o.origin
from observation as o
left join project_subject as p on p.source = 'github' and p.subject = o.subject
where o.source = 'github' and o.metric = 'stars_given_gharchive' and o.window_days = 1;

comment on view github_star_events_daily is 'Gross stars given per day from GH Archive (ecotrends backfill), up to 2025-05-23 when GH Archive lost most star events. Unstars are invisible, so sums drift above the true count.';
comment on column github_star_events_daily.repo is 'Repository owner/name (events under former names are counted for it).';
comment on column github_star_events_daily.project_id is 'Tracked project of this repository.';
comment on column github_star_events_daily.date is 'UTC day of the star events.';
comment on column github_star_events_daily.star_events is 'WatchEvents that day: stars given, unstars not subtracted.';
comment on column github_star_events_daily.origin is 'Query and repository names used.';
