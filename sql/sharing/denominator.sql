-- The denominator of a share series: one value per date and window.
select date, window_days, value as denominator
from observation
where source = $source and metric = $metric and subject = $subject
