-- Every known project beyond the curated ones, for the claim extractor (collectors/catalogue.py named_projects):
-- the most starred and downloaded first, so that a name two projects share means the better-known one (as
-- find_projects.sql ranks). `prominent`: starred or downloaded enough that its plain lower-case name in prose
-- means the project ($prominent_stars stars, $prominent_downloads downloads in 30 days).
select project_id, name, coalesce(github_repo, '') as github_repo, pypi,
       coalesce(stars, 0) >= $prominent_stars or coalesce(downloads_30d, 0) >= $prominent_downloads as prominent
from project_directory
where not curated
order by stars desc nulls last, downloads_30d desc nulls last, project_id
