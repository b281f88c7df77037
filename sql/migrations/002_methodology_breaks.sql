-- Known breaks in the data (data/methodology_breaks.csv), loaded on every start so that charts can mark
-- them and verdicts can name them. metric and subject are glob patterns (* matches anything).
create table if not exists methodology_break (
    date date not null,
    source varchar not null,
    metric varchar not null,
    subject varchar not null,
    title varchar not null,
    description varchar not null,
    reference varchar not null,
    primary key (date, source, metric, subject)
);
