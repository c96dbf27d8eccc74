-- The configured metric filters (`configured`, one row per filter, registered by the
-- caller) with what the lake holds of each filter's metric: the dimension sets, the first
-- and last minute with a datapoint and the datapoints in all.
WITH held AS (
    SELECT
        namespace,
        metric_name,
        count(DISTINCT dimensions) AS dimension_sets,
        min(minute) AS first_minute,
        max(minute) AS last_minute,
        sum(sample_count) AS datapoints
    FROM metric_points
    GROUP BY 1, 2
)

SELECT
    c.filter_name AS "filter",
    c.namespace || '/' || c.metric_name AS metric,
    c.metric_value AS value,
    c.pattern,
    coalesce(h.dimension_sets, 0) AS dimension_sets,
    coalesce(h.datapoints, 0) AS datapoints,
    h.first_minute,
    h.last_minute
FROM configured AS c
LEFT JOIN held AS h USING (namespace, metric_name)
ORDER BY c.position
