-- One row: the months covered and the USD total of each cost line, for the summary line.
SELECT
    min(month) AS first_month,
    max(month) AS last_month,
    coalesce(sum(events), 0) AS events,
    coalesce(sum(extra_trails_usd), 0) AS extra_trails_usd,
    coalesce(sum(data_events_usd), 0) AS data_events_usd,
    coalesce(sum(insights_usd), 0) AS insights_usd,
    coalesce(sum(lake_ingest_usd), 0) AS lake_ingest_usd,
    coalesce(sum(lake_scan_usd), 0) AS lake_scan_usd
FROM cost_rows
