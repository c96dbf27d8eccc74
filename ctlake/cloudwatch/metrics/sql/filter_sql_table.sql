-- The metric filters' compiled SQL, by a key of the filter's definition and the compiler's
-- version (ctlake/cloudwatch/metrics/cache.py): a refresh compiles only the filters that
-- are new or changed, so an hourly refresh neither loads the pattern compiler nor runs it.
-- Only a cache: losing it costs one compilation, never a wrong result.
CREATE TABLE IF NOT EXISTS metric_filter_sql (
    key      VARCHAR PRIMARY KEY,
    compiled VARCHAR NOT NULL  -- JSON: the filter's template value (compiled.template_values)
);
