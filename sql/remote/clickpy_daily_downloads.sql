SELECT date, sum(count) AS downloads FROM pypi.pypi_downloads_per_day WHERE project = {pkg:String} AND date >= {d0:Date} AND date < {d1:Date} GROUP BY date ORDER BY date FORMAT JSONEachRow
