-- The verdicts of one registered article's claims, in the register's order.
select * from claim_checks where article_id = $article_id order by ordinal
