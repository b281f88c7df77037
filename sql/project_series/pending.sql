-- The project series a transaction's writes touched and that are not yet derived again: sql/project_series/
-- touched_by_*.sql append to it, derive.sql works it off when the transaction ends (collectors.store.transaction).
-- A temporary table: it lives and dies with the connection's transaction.
create temp table if not exists pending_project_series (
    project_id varchar, source varchar, metric varchar, window_days integer, cut date
);
