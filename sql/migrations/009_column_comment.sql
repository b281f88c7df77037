-- What each column of each published view means, as the views' `comment on column` statements say. A DuckDB
-- file keeps these comments in its catalog too; a DuckLake cannot hold comments on a view's columns, so this
-- table (read through the column_comments view) is where both backends publish them alike.
create table if not exists column_comment (
    view_name varchar not null,
    column_name varchar not null,
    position integer not null,  -- order of the comment in sql/views/, which follows the view's columns
    comment varchar not null,
    primary key (view_name, column_name)
);
