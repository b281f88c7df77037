-- A run whose process was killed is closed as 'interrupted' by the next run that holds its lock (issue 24 §1).
-- DuckDB cannot alter a CHECK constraint, so the table is rebuilt with its rows, in this migration's transaction.
create table collection_run_012 (
    run_id bigint primary key default nextval('collection_run_seq'),
    source varchar not null,
    command varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null check (status in ('running', 'ok', 'partial', 'failed', 'interrupted')),
    rows_written bigint not null default 0,
    requests_made bigint not null default 0,
    error varchar
);

insert into collection_run_012
select run_id, source, command, started_at, finished_at, status, rows_written, requests_made, error
from collection_run;

drop table collection_run;

alter table collection_run_012 rename to collection_run;
