-- What each tracked project is called by each source (a repository, a package, a search term), written by
-- sync_projects from data/projects.toml so that every view joins here instead of re-deriving the mapping.
create table if not exists project_subject (
    project_id varchar not null,
    source varchar not null,
    subject varchar not null,
    primary key (source, subject)
);

-- Dated facts now come from collectors and from the seed shipped with ecotrends; the run tells them apart,
-- so that reloading the seed never overwrites a collected fact.
alter table subject_event add column if not exists run_id bigint;
