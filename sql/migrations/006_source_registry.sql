-- What each source declares about its series (collectors/sources/), written on every start so that the evidence
-- ladder, the shares and the app's headlines read the declarations instead of lists kept by hand in SQL.
create table if not exists source_series (
    source varchar not null,
    key varchar not null,          -- the series' name in the app and its links
    metric varchar not null,
    label varchar not null,
    unit varchar not null,
    is_count boolean not null,
    per_days integer not null,
    min_window integer not null,
    max_window integer not null,
    share_of varchar,              -- a share: this metric over the denominator subject's metric, same window
    denominator_metric varchar,
    denominator_subject varchar,
    primary key (source, key)
);

-- The series a claim metric can be judged on, best first: one row per rung a series declares.
create table if not exists source_rung (
    claim_source varchar not null,
    claim_metric varchar not null,
    rung integer not null,
    source varchar not null,
    key varchar not null,
    label varchar not null,
    primary key (claim_source, claim_metric, rung)
);

-- The headline each source gives the Overview.
create table if not exists source_signal (
    signal varchar primary key,
    source varchar not null,
    title varchar not null,
    claim_metric varchar not null,
    stale_after_days integer not null,
    fill varchar not null
);
