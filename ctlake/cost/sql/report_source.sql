-- `ctlake cost --by source`: the cost rows summed per eventSource.
-- *_usd: amounts in USD to the micro-dollar, so CSV and JSON add up for programs; the
-- table shows them in dollars and cents (ctlake/text.py, usd).
SELECT
    eventSource,
    CAST(sum(events) AS BIGINT) AS events,
    CAST(sum(management_events) AS BIGINT) AS management_events,
    CAST(sum(data_events) AS BIGINT) AS data_events,
    CAST(sum(insights_analyzed) AS BIGINT) AS insights_analyzed,
    CAST(sum(lake_gb) AS DECIMAL(18, 6)) AS lake_gb,
    CAST(sum(extra_trails_usd) AS DECIMAL(18, 6)) AS extra_trails_usd,
    CAST(sum(data_events_usd) AS DECIMAL(18, 6)) AS data_events_usd,
    CAST(sum(insights_usd) AS DECIMAL(18, 6)) AS insights_usd,
    CAST(sum(lake_ingest_usd) AS DECIMAL(18, 6)) AS lake_ingest_usd,
    CAST(sum(lake_scan_usd) AS DECIMAL(18, 6)) AS lake_scan_usd,
    CAST(sum(extra_trails_usd + data_events_usd + insights_usd + lake_ingest_usd
        + lake_scan_usd) AS DECIMAL(18, 6)) AS total_usd
FROM cost_rows
GROUP BY 1
ORDER BY total_usd DESC, eventSource
