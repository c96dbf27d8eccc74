-- One alarm's datapoints: its metric's per-minute points (metric_points) gathered into
-- periods aligned on the epoch, one value per period that has data, by the statistic.
SELECT
    TIMESTAMP '1970-01-01' + to_seconds(epoch(minute)::BIGINT // $period * $period) AS period_start,
    CASE $statistic
        WHEN 'SampleCount' THEN CAST(sum(sample_count) AS DOUBLE)
        WHEN 'Sum' THEN sum(sum)
        WHEN 'Average' THEN sum(sum) / nullif(sum(sample_count), 0)
        WHEN 'Minimum' THEN min(minimum)
        WHEN 'Maximum' THEN max(maximum)
    END AS value
FROM metric_points
WHERE minute >= $since
    AND namespace = $namespace
    AND metric_name = $metric_name
    AND dimensions = $dimensions
GROUP BY 1
HAVING value IS NOT NULL
ORDER BY 1
