-- One metric's percentile per period that has data, as `ctlake metrics show --statistic
-- pNN` prints it: nearest rank over every datapoint of the period (the lowest value with
-- at least NN% of the datapoints at or below it). Periods as in metric_series.sql.
-- $namespace, $metric_name; $dimensions: compact JSON object, keys sorted ('{}': none);
-- $since, $until: TIMESTAMP or NULL (open); $period: seconds; $fraction: NN / 100.
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
    list_aggregate(flatten(list("values")), 'quantile_disc', $fraction) AS value
FROM points
GROUP BY period_start
ORDER BY period_start
