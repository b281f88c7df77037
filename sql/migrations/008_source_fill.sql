-- The commands that fill each source's series, as the source declares them (collectors/sources/), for every
-- source including those without an Overview headline (papers): no_data explanations name them.
create table if not exists source_fill (
    source varchar primary key,
    commands varchar not null  -- ecotrends sub-commands, one per line, best first
);
