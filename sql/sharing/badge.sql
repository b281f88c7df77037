-- A project's latest figure of one signal (the Overview's headline): its value, the day of it, and its unit.
select title, latest, as_of, unit_label
from project_signals
where project_id = $project_id and signal = $signal and latest is not null
