-- How many stored values that a collection wrote (collect, backfill, track: not the shipped seed, not an
-- import) the rows of `incoming_batch` would change: `ecotrends import` says how many collected values it
-- replaced, or with --keep-collected kept. A value whose run is unknown counts as collected.
with incoming as (
    select source, subject, metric, date::date as date, window_days::integer as window_days,
        value::double as value, origin
    from incoming_batch
),

written_by as (
    select o.source, o.subject, o.metric, o.date, o.window_days, o.value, o.origin, r.command
    from observation as o
    left join collection_run as r on r.run_id = o.run_id
)

select count(*) as collected_changes
from incoming as i
join written_by as w
    on w.source = i.source and w.subject = i.subject and w.metric = i.metric and w.date = i.date
    and w.window_days = i.window_days
where (w.value <> i.value or w.origin <> i.origin)
    and coalesce(w.command, 'unknown') not in ('seed', 'import')
