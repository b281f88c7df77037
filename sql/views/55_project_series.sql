-- Every series of a tracked project keyed by project id (repositories, packages and search terms mapped
-- through project_subject), and the dated milestones of each project. The claims and the app's headlines
-- read these instead of re-deriving the mapping. The series are the table project_observation, which the writers
-- keep (migration 015, sql/project_series/): a read costs a scan, not a sum of every project's packages.

create or replace view project_series as
select project_id, source, metric, date, window_days, value, denominator, origin
from project_observation;

-- The subjects of the curated projects (data/projects.toml) alone.
create or replace view curated_subjects as
select s.project_id, s.source, s.subject
from project_subject as s
where s.project_id in (select project_id from project);

comment on view curated_subjects is 'project_subjects of the curated projects (data/projects.toml) alone, without the catalogue''s.';
comment on column curated_subjects.project_id is 'Curated project (data/projects.toml).';
comment on column curated_subjects.source is 'Source.';
comment on column curated_subjects.subject is 'The subject that source stores the project''s series under.';

comment on view project_series is 'Every stored series of a tracked project, keyed by project id: a project''s PyPI packages summed, research mentions also as shares of all papers of the same window.';
comment on column project_series.project_id is 'Tracked project (data/projects.toml).';
comment on column project_series.source is 'Source of the series (github, pypi, arxiv, trends, papers, ...).';
comment on column project_series.metric is 'Metric as stored, plus share_of_deep_learning (arXiv) and share_of_papers (conference papers).';
comment on column project_series.date is 'Day of a level, or last day of the window a count covers.';
comment on column project_series.window_days is '0 for a level, else the window length in days.';
comment on column project_series.value is 'The value, summed over the project''s packages; for a share, the mentions.';
comment on column project_series.denominator is 'For a share: all papers of the same window; null otherwise.';
comment on column project_series.origin is 'Provenance of the value (the first subject''s, with how many more were summed).';

create or replace view project_milestones as
with uploads as (
    -- the first PyPI upload of any of the project's packages: a documented first upload where one is known,
    -- else the earliest file PyPI still lists
    select s.project_id, e.date, e.subject, e.origin, e.event
    from subject_event as e
    join project_subject as s on s.source = 'pypi' and s.subject = e.subject
    where e.source = 'pypi' and e.event in ('first_upload', 'first_release')
)
select s.project_id, 'repository_created' as milestone, e.date, e.subject, e.origin
from subject_event as e
join project_subject as s on s.source = 'github' and s.subject = e.subject
where e.source = 'github' and e.event = 'created'
union all
select e.subject, 'first_public_release', e.date, e.subject, e.origin
from subject_event as e
where e.source = 'release' and e.event = 'first_public_release'
union all
select project_id, 'first_pypi_upload', min(date), arg_min(subject, date), arg_min(origin, date)
from uploads
group by project_id;

comment on view project_milestones is 'Dated milestones of each project, for claims about releases: the creation of its GitHub repository, its first public release (from its own release notes and tags) and its first PyPI upload.';
comment on column project_milestones.project_id is 'Tracked project.';
comment on column project_milestones.milestone is 'repository_created, first_public_release or first_pypi_upload.';
comment on column project_milestones.date is 'Day of the milestone (UTC).';
comment on column project_milestones.subject is 'Repository, project or package the date belongs to.';
comment on column project_milestones.origin is 'Where the date comes from, with the version where there is one.';
