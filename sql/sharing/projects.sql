-- The projects a chart can name, in the order their colours are given: every curated project, then the chosen
-- catalogue ones (as the app offers them), with their names and own colours.
select project_id, name, github_repo, color, true as curated, 0 as place
from project
union all
select project_id, name, github_repo, null as color, false as curated, 1 as place
from project_directory
where not curated and project_id in (select unnest($chosen::varchar[]))
order by place, project_id
