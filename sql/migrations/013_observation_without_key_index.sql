-- The observation table without its primary key (issue 26). DuckDB keeps a primary key as an ART index held
-- whole in memory: 14.7 GB to build 30 million rows, more than the machine for 100 million. Every write goes
-- through one MERGE on the key (collectors.store.merge_batch), which refuses a batch repeating a key, and writers
-- take turns (one writing process per file, one unit of work per file within it; a lake's write lock), so the key
-- stays unique as it already does on a lake, which holds no keys. The rows are copied sorted by the key: each
-- row group then holds a narrow range of series, and reads by subject skip the others by their zone maps.
create table observation_013 (
    source varchar not null,
    subject varchar not null,
    metric varchar not null,
    date date not null,
    window_days integer not null check (window_days >= 0),
    value double not null,
    origin varchar not null,
    collected_at timestamp not null,
    run_id bigint
);

insert into observation_013
select source, subject, metric, date, window_days, value, origin, collected_at, run_id
from observation
order by source, subject, metric, date, window_days;

drop table observation;

alter table observation_013 rename to observation;
