-- Whether the lake has been refreshed with the metric model (fails when the table is absent).
SELECT count(*) FROM metric_points
