-- Projects added by `ecotrends track` beyond data/projects.toml (which no command writes). They live in the store,
-- so that every machine of a team sharing a DuckLake collects them; `ecotrends untrack` removes a row and leaves
-- its observations. Filed in project_subject like a curated project (a curated one still wins a shared id,
-- repository or package; a tracked one replaces a catalogue entry).
create table if not exists tracked_project (
    project_id varchar primary key,  -- the catalogue's id, else the PyPI name, else owner/name in lower case
    name varchar not null,
    github_repo varchar not null,  -- owner/name as GitHub names it today (renames followed)
    pypi varchar[] not null,  -- PEP 503 names
    source_fields varchar not null,  -- JSON: the names under the keys sources declare (conda packages, a tag...)
    resolved_from varchar not null,  -- how the identity was established, as `ecotrends track` showed it
    added_at timestamp not null
);
