-- conda: monthly downloads per package and channel from Anaconda's public package data.
create or replace view conda_downloads_monthly as
select
    o.subject as package,
    ps.project_id,
    date_trunc('month', o.date)::date as month,
    o.metric[length('downloads_') + 1:] as channel,
    o.value::bigint as downloads,
    o.origin
from observation as o
left join project_subject as ps on ps.source = 'conda' and ps.subject = o.subject
where o.source = 'conda' and o.metric like 'downloads\_%' escape '\';

comment on view conda_downloads_monthly is 'Downloads per calendar month of each tracked conda package, one row per channel (data_source of anaconda-package-data: anaconda = the default channels, conda-forge, pytorch from 2023-01, ...).';
comment on column conda_downloads_monthly.package is 'conda package name.';
comment on column conda_downloads_monthly.project_id is 'Tracked project counting this package.';
comment on column conda_downloads_monthly.month is 'First day of the calendar month (UTC).';
comment on column conda_downloads_monthly.channel is 'The data_source column: anaconda (repo.anaconda.com main and free), conda-forge, bioconda, pytorch, nvidia, ...';
comment on column conda_downloads_monthly.downloads is 'Sum of counts over every version, platform and Python version.';
comment on column conda_downloads_monthly.origin is 'The monthly file the count was read from.';

create or replace view conda_project_downloads_monthly as
select
    ps.project_id,
    date_trunc('month', o.date)::date as month,
    count(*) as packages_reported,
    sum(o.value)::bigint as downloads
from observation as o
join project_subject as ps on ps.source = 'conda' and ps.subject = o.subject
where o.source = 'conda' and o.metric = 'downloads'
group by ps.project_id, month;

comment on view conda_project_downloads_monthly is 'conda downloads per tracked project and calendar month: every channel, summed over its packages.';
comment on column conda_project_downloads_monthly.project_id is 'Tracked project.';
comment on column conda_project_downloads_monthly.month is 'First day of the calendar month (UTC).';
comment on column conda_project_downloads_monthly.packages_reported is 'How many of its packages have a count that month.';
comment on column conda_project_downloads_monthly.downloads is 'Downloads that month, all channels and packages.';
