-- Every cached compilation: key -> the filter's template value as JSON.
SELECT key, compiled FROM metric_filter_sql
