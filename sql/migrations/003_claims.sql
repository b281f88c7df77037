-- The claims register (data/claims.toml), loaded on every start so that verdicts are SQL over the data.
create table if not exists claim_article (
    article_id varchar primary key,
    file varchar not null,
    title varchar not null,
    author varchar not null,
    published varchar not null,
    published_basis varchar not null
);

create table if not exists claim (
    claim_id varchar primary key,
    article_id varchar not null,
    location varchar not null,
    statement varchar not null,
    kind varchar not null check (kind in ('value', 'share', 'comparison', 'growth', 'release_date', 'uncheckable')),
    subjects varchar[] not null,
    source varchar not null,
    metric varchar not null,
    period_start date not null,
    period_end date not null,
    claimed_value double,
    claimed_month integer,
    unit varchar,
    tolerance double,
    direction varchar,
    check_method varchar not null,
    reason varchar,
    proxy varchar,
    contradicts varchar[]
);
