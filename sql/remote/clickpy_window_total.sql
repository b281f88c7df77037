SELECT count() AS days, sum(count) AS downloads FROM pypi.pypi_downloads_per_day WHERE project = {pkg:String} AND date >= {d0:Date} AND date < {d1:Date} FORMAT JSONEachRow
