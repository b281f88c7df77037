-- Breaks that affect one source's metric (the table holds glob patterns).
select date, metric, subject, title, reference
from methodology_breaks
where source = $source and $metric glob metric
order by date
