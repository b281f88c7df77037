-- Every project's dated milestones: repository creation, first public release, first PyPI upload.
select project_id, milestone, date, subject, origin from project_milestones
