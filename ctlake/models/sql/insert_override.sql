-- One [[insights.override]] of ctlake.toml (see config_tables.sql); NULL means "any" or "default".
INSERT INTO insight_overrides BY NAME
SELECT
    $eventSource AS eventSource,
    $eventName AS eventName,
    $rate_factor AS rate_factor,
    $min_count AS min_count,
    $time_of_day_factor AS time_of_day_factor
