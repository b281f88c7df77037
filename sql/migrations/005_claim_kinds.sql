-- Claims gain the rank and crossover kinds, the alternatives a rank is measured against, the frameworks a
-- growth must outpace, and the part of a claim no series measures. The table mirrors data/claims.toml and is
-- reloaded on every start, so it is rebuilt rather than altered (its check constraint lists the kinds).
drop table if exists claim;

create table claim (
    claim_id varchar primary key,
    ordinal integer not null,  -- the claim's place in the register, which follows each article's reading order
    article_id varchar not null,
    location varchar not null,
    statement varchar not null,
    kind varchar not null check (kind in ('value', 'share', 'comparison', 'rank', 'growth', 'crossover',
                                          'release_date', 'uncheckable')),
    subjects varchar[] not null,
    alternatives varchar[] not null,
    top_places integer,
    relative_to varchar[] not null,
    source varchar not null,
    metric varchar not null,
    period_start date not null,
    period_end date not null,
    claimed_value double,
    claimed_month integer,
    unit varchar,
    tolerance double,
    direction varchar,
    unmeasured varchar,
    check_method varchar not null,
    reason varchar,
    proxy varchar,
    contradicts varchar[]
);
