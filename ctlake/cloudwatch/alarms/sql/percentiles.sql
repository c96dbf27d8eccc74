-- One alarm's datapoints for a percentile statistic (p99): every value of the period's
-- minutes, interpolated linearly between the two nearest ranks.
SELECT
    TIMESTAMP '1970-01-01' + to_seconds(epoch(minute)::BIGINT // $period * $period) AS period_start,
    quantile_cont(v, $fraction) AS value
FROM metric_points, unnest("values") AS u(v)
WHERE minute >= $since
    AND namespace = $namespace
    AND metric_name = $metric_name
    AND dimensions = $dimensions
GROUP BY 1
ORDER BY 1
