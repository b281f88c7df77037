-- What every column of every published view means, on a DuckDB file and on a DuckLake alike.
create or replace view column_comments as
select view_name, column_name, comment
from column_comment
order by view_name, position;

comment on view column_comments is 'What each column of each published view means (the same text as the column comments in duckdb_columns() of a DuckDB file; a DuckLake keeps them only here).';
comment on column column_comments.view_name is 'Published view.';
comment on column column_comments.column_name is 'Column of the view.';
comment on column column_comments.comment is 'What the column holds.';
