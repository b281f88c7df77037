-- Each project's launch: the creation of its GitHub repository (collected, or shipped in the seed).
select project_id, date from project_milestones where milestone = 'repository_created'
