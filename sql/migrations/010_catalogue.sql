-- The catalogue: thousands of real projects beyond data/projects.toml, shipped in data/seed/catalogue/ with their
-- history (collectors/catalogue.py loads it with the seed). Its projects are filed in project_subject beside the
-- curated ones, so that every view, chart and claim reaches them; a curated project always wins a shared id,
-- repository or package.
create table if not exists catalogue_project (
    project_id varchar primary key,
    name varchar not null,
    github_repo varchar,  -- owner/name, today's name; null for a package no archive ties to a repository
    pypi varchar[] not null,  -- PEP 503 names
    conda varchar[] not null,
    github_former_names varchar[] not null,
    created date,  -- the repository's creation (best-of lists' created_at)
    lists varchar[] not null,  -- the archives that list it
    basis varchar not null  -- how its identity was established: best-of, curated link, repository or package only
);
