-- `ctlake cost` by month and eventSource (the default): costliest sources first each month.
-- *_usd: amounts in USD to the micro-dollar, so CSV and JSON add up for programs; the
-- table shows them in dollars and cents (ctlake/text.py, usd).
-- total_usd sums the five lines.
SELECT
    month,
    eventSource,
    events,
    management_events,
    data_events,
    insights_analyzed,
    CAST(lake_gb AS DECIMAL(18, 6)) AS lake_gb,
    CAST(extra_trails_usd AS DECIMAL(18, 6)) AS extra_trails_usd,
    CAST(data_events_usd AS DECIMAL(18, 6)) AS data_events_usd,
    CAST(insights_usd AS DECIMAL(18, 6)) AS insights_usd,
    CAST(lake_ingest_usd AS DECIMAL(18, 6)) AS lake_ingest_usd,
    CAST(lake_scan_usd AS DECIMAL(18, 6)) AS lake_scan_usd,
    CAST(extra_trails_usd + data_events_usd + insights_usd + lake_ingest_usd + lake_scan_usd
        AS DECIMAL(18, 6)) AS total_usd
FROM cost_rows
ORDER BY month, total_usd DESC, eventSource
