-- PyPI: daily downloads per package (with and without mirrors), per project, and first releases.
create or replace view pypi_downloads_daily as
with daily as (
    select subject as package, date, metric, value
    from observation
    where source = 'pypi' and window_days = 1
)
select
    d.package,
    pp.project_id,
    d.date,
    max(d.value) filter (where d.metric = 'downloads_without_mirrors')::bigint as downloads_without_mirrors,
    max(d.value) filter (where d.metric = 'downloads_with_mirrors')::bigint as downloads_with_mirrors,
    max(d.value) filter (where d.metric = 'downloads_clickpy')::bigint as downloads_clickpy
from daily as d
left join project_subject as pp on pp.source = 'pypi' and pp.subject = d.package
group by d.package, pp.project_id, d.date;

comment on view pypi_downloads_daily is 'Daily downloads per PyPI package: PyPI Stats (last 180 days per run, kept for good) and the ClickPy backfill.';
comment on column pypi_downloads_daily.package is 'PyPI package (PEP 503 name).';
comment on column pypi_downloads_daily.project_id is 'Tracked project counting this package.';
comment on column pypi_downloads_daily.date is 'UTC day of the downloads.';
comment on column pypi_downloads_daily.downloads_without_mirrors is 'Downloads excluding the mirroring installers bandersnatch, z3c.pypimirror, Artifactory and devpi.';
comment on column pypi_downloads_daily.downloads_with_mirrors is 'All downloads, mirrors included (PyPI Stats).';
comment on column pypi_downloads_daily.downloads_clickpy is 'All downloads from ClickPy''s copy of the PyPI download log (ecotrends backfill, since 2016): close to with_mirrors, not without.';

create or replace view pypi_project_downloads_daily as
select
    project_id,
    date,
    count(*) as packages_reported,
    sum(downloads_without_mirrors)::bigint as downloads_without_mirrors,
    sum(downloads_with_mirrors)::bigint as downloads_with_mirrors,
    sum(downloads_clickpy)::bigint as downloads_clickpy
from pypi_downloads_daily
where project_id is not null
group by project_id, date;

comment on view pypi_project_downloads_daily is 'Daily downloads per tracked project: the sum over its PyPI packages (TensorFlow counts several).';
comment on column pypi_project_downloads_daily.project_id is 'Tracked project.';
comment on column pypi_project_downloads_daily.date is 'UTC day of the downloads.';
comment on column pypi_project_downloads_daily.packages_reported is 'How many of the project''s packages have a value that day.';
comment on column pypi_project_downloads_daily.downloads_without_mirrors is 'Sum of downloads without mirrors over the project''s packages.';
comment on column pypi_project_downloads_daily.downloads_with_mirrors is 'Sum of downloads with mirrors over the project''s packages.';
comment on column pypi_project_downloads_daily.downloads_clickpy is 'Sum of ClickPy downloads over the project''s packages.';

create or replace view pypi_first_releases as
select
    e.subject as package,
    pp.project_id,
    e.date as first_release_on,
    e.origin
from subject_event as e
left join project_subject as pp on pp.source = 'pypi' and pp.subject = e.subject
where e.source = 'pypi' and e.event = 'first_release';

comment on view pypi_first_releases is 'Day of the earliest file upload of each package on PyPI (PyPI JSON API), for checking release-date claims.';
comment on column pypi_first_releases.package is 'PyPI package.';
comment on column pypi_first_releases.project_id is 'Tracked project counting this package.';
comment on column pypi_first_releases.first_release_on is 'UTC day of the earliest upload_time among all released files.';
comment on column pypi_first_releases.origin is 'Endpoint and release the date was read from.';
