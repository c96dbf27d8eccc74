-- One metric's statistic per period that has data, as `ctlake metrics show` prints it.
-- Periods are aligned to the epoch (a 5m period starts at :00, :05, ...), as CloudWatch
-- aligns them. Percentiles: metric_percentile.sql.
-- $namespace, $metric_name; $dimensions: compact JSON object, keys sorted ('{}': none);
-- $since, $until: TIMESTAMP or NULL (open); $period: seconds; $statistic: SampleCount, Sum,
-- Average, Minimum or Maximum.
WITH points AS (
    SELECT
        time_bucket(to_seconds($period), minute, TIMESTAMP '1970-01-01') AS period_start,
        sample_count,
        sum,
        minimum,
        maximum,
        "values"
    FROM metric_points
    WHERE namespace = $namespace
      AND metric_name = $metric_name
      AND dimensions = $dimensions
      AND ($since IS NULL OR minute >= $since)
      AND ($until IS NULL OR minute < $until)
)

SELECT
    period_start AS "timestamp",
    CASE $statistic
        WHEN 'SampleCount' THEN CAST(sum(sample_count) AS DOUBLE)
        WHEN 'Sum' THEN sum(sum)
        WHEN 'Average' THEN sum(sum) / sum(sample_count)
        WHEN 'Minimum' THEN min(minimum)
        WHEN 'Maximum' THEN max(maximum)
    END AS value
FROM points
GROUP BY period_start
ORDER BY period_start
