-- Core tables. Applied once, in order, by collectors.store.apply_schema; the version is recorded in
-- schema_version. Users query the views in sql/views/, not these tables.

create table if not exists schema_version (
    version integer primary key,
    name varchar not null,
    applied_at timestamp not null default current_timestamp
);

-- One row per data point. window_days is 0 for a level (stars on a day) and the window length for a
-- count (downloads over one day, papers over a month); the public view shows 0 as null. A primary key
-- on the identity makes a re-collected point update in place instead of duplicating.
create table if not exists observation (
    source varchar not null,
    subject varchar not null,
    metric varchar not null,
    date date not null,
    window_days integer not null check (window_days >= 0),
    value double not null,
    origin varchar not null,
    collected_at timestamp not null,
    run_id bigint,
    primary key (source, subject, metric, date, window_days)
);

-- Dated facts about a subject that are not series: a repository's creation, a package's first release.
create table if not exists subject_event (
    source varchar not null,
    subject varchar not null,
    event varchar not null,
    date date not null,
    origin varchar not null,
    collected_at timestamp not null,
    primary key (source, subject, event)
);

create sequence if not exists collection_run_seq;

create table if not exists collection_run (
    run_id bigint primary key default nextval('collection_run_seq'),
    source varchar not null,
    command varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null check (status in ('running', 'ok', 'partial', 'failed')),
    rows_written bigint not null default 0,
    requests_made bigint not null default 0,
    error varchar
);

-- Cursors that make collection incremental and resumable (for example the next star-history page).
create table if not exists collector_state (
    source varchar not null,
    subject varchar not null,
    key varchar not null,
    value varchar not null,
    updated_at timestamp not null,
    primary key (source, subject, key)
);

-- The tracked projects, copied from data/projects.toml on every collection so that views can name them.
create table if not exists project (
    project_id varchar primary key,
    name varchar not null,
    github_repo varchar not null,
    arxiv_phrase varchar not null,
    trends_term varchar not null,
    color varchar
);

create table if not exists project_package (
    project_id varchar not null,
    package varchar not null,
    primary key (project_id, package)
);
