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
