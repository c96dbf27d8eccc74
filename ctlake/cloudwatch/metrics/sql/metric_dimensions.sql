-- The dimension sets metric $namespace/$metric_name has datapoints for, most datapoints
-- first: `metrics show` names them when asked for a set the lake does not hold.
SELECT dimensions
FROM metric_points
WHERE namespace = $namespace
  AND metric_name = $metric_name
GROUP BY dimensions
ORDER BY sum(sample_count) DESC, dimensions
