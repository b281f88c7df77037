-- Claims judged without being registered (the "Check an article" page, `ecotrends claims extract --check`).
-- Temporary tables named like the register's shadow them for this connection only: DuckDB resolves a name in
-- the temp catalog first, so the claim_checks view computes verdicts for these claims on the stored data, while
-- the stored register stays as it is. Nothing here writes to the database file; a read-only connection will do.
create or replace temp table claim as select * from main.claim limit 0;
create or replace temp table claim_article as select * from main.claim_article limit 0;
