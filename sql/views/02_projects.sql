-- Tracked projects as configured in data/projects.toml, one row per PyPI package.
create or replace view tracked_projects as
select
    p.project_id,
    p.name,
    p.github_repo,
    p.arxiv_phrase,
    p.trends_term,
    pp.package
from project as p
left join project_package as pp using (project_id);

comment on view tracked_projects is 'The projects in data/projects.toml as of the last collection, one row per PyPI package.';
comment on column tracked_projects.project_id is 'Short id of the project, the key used across views.';
comment on column tracked_projects.name is 'Display name.';
comment on column tracked_projects.github_repo is 'GitHub repository owner/name.';
comment on column tracked_projects.arxiv_phrase is 'Phrase searched in arXiv metadata.';
comment on column tracked_projects.trends_term is 'Google Trends search term.';
comment on column tracked_projects.package is 'A PyPI package counted for this project.';

create or replace view project_subjects as
select project_id, source, subject
from project_subject;

comment on view project_subjects is 'Under which subject each source files a tracked project: its repository (github), each of its packages (pypi), its id (arxiv, papers) and its search term (trends).';
comment on column project_subjects.project_id is 'Tracked project.';
comment on column project_subjects.source is 'Source.';
comment on column project_subjects.subject is 'The subject that source stores the project''s series under.';

create or replace view known_projects as
select p.project_id, p.name, nullif(p.github_repo, '') as github_repo,
    coalesce(list(pp.package order by pp.package) filter (where pp.package is not null), []) as pypi,
    true as curated, 'data/projects.toml' as basis
from project as p
left join project_package as pp using (project_id)
group by p.project_id, p.name, p.github_repo
union all
select t.project_id, t.name, t.github_repo, t.pypi, false, 'tracked: ' || t.resolved_from
from tracked_project as t
where t.project_id not in (select project_id from project)
    and t.project_id in (select project_id from project_subject)
union all
select c.project_id, c.name, c.github_repo, c.pypi, false, c.basis
from catalogue_project as c
where c.project_id not in (select project_id from project)
    and c.project_id not in (select project_id from tracked_project)
    and c.project_id in (select project_id from project_subject);

comment on view known_projects is 'Every project ecotrends can chart and judge claims about: the curated ones of data/projects.toml, those added by ecotrends track (tracked_project) and the shipped catalogue''s (data/seed/catalogue/), less catalogue entries a curated or tracked project covers.';
comment on column known_projects.project_id is 'The id used across views (a PyPI name, or owner/name for a repository with no package).';
comment on column known_projects.name is 'Display name, as the curated file or the archive gives it.';
comment on column known_projects.github_repo is 'GitHub repository owner/name; null when no archive ties the project to one.';
comment on column known_projects.pypi is 'PyPI packages counted for the project (PEP 503 names).';
comment on column known_projects.curated is 'True for data/projects.toml, false for tracked and catalogue projects.';
comment on column known_projects.basis is 'How the identity was established: data/projects.toml, best-of (a best-of list names repository and package together), a curated link (data/catalogue_links.csv), a repository or package alone, or tracked: how ecotrends track resolved it.';
