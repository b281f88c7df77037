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
