-- The project search (Compare, the source pages, `ecotrends track`): projects whose name, id, repository or PyPI
-- package matches $text (lower case; $package is the same text as a PEP 503 name). Exact matches first, then
-- prefixes, then anywhere; among equals the curated projects, then the most starred, then the most downloaded.
with scored as (
    select d.*,
        case
            when d.project_id = $text or lower(d.name) = $text or lower(d.github_repo) = $text
                or lower(split_part(d.github_repo, '/', 2)) = $text or list_contains(d.pypi, $package) then 3
            when starts_with(lower(d.name), $text) or starts_with(lower(d.github_repo), $text)
                or starts_with(lower(split_part(d.github_repo, '/', 2)), $text)
                or len(list_filter(d.pypi, p -> starts_with(p, $package))) > 0 then 2
            when contains(lower(d.name), $text) or contains(lower(coalesce(d.github_repo, '')), $text)
                or len(list_filter(d.pypi, p -> contains(p, $package))) > 0 then 1
            else 0
        end as score
    from project_directory as d
)
select project_id, name, github_repo, pypi, curated, basis, stars, stars_date, downloads_30d, downloads_date
from scored
where score > 0
order by score desc, curated desc, stars desc nulls last, downloads_30d desc nulls last, project_id
limit $limit;
