-- The creation day of each catalogue repository the best-of lists recorded (GitHub's created_at), as the dated
-- facts release claims are judged on; filed under the seed's GitHub run ($run_id).
select 'github' as source, github_repo as subject, 'created' as event, created as date,
       list_sort(list_filter(lists, l -> l like 'ml-tooling/%'))[1]
           || ' history/*_projects.csv created_at (the repository''s creation as GitHub gave it)' as origin,
       current_timestamp::timestamp as collected_at, $run_id::bigint as run_id
from catalogue_project
where created is not null and github_repo is not null
