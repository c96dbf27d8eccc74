-- Cache the compilations of the current filters: $keys and $compiled, lists of equal length.
INSERT INTO metric_filter_sql
SELECT unnest($keys), unnest($compiled)
