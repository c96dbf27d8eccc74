-- What the events of each month and eventSource would cost on AWS (USD), one row each.
-- Kept in TEMP TABLE cost_rows; the reports group it by month, source or both.
--
-- kind: data events (eventCategory 'Data', or not a management event), network activity
-- events, else management events. Insights analyses (per trail with Insights on): the API
-- call rate reads write management events (readOnly = false), the API error rate reads
-- every management event, so with both on a write is analysed twice, a read once.
-- GB is the size of the records as delivered (eventJson, in bytes; strlen counts bytes).
-- Scanning: $queries_per_day queries a day, each reading $query_scan_days days of whole
-- records, i.e. queries_per_day * query_scan_days * the GB logged (an upper bound: Lake
-- reads only the columns a query names).
CREATE OR REPLACE TEMP TABLE cost_rows AS
WITH classified AS (
    SELECT
        strftime(eventTime, '%Y-%m') AS month,
        eventSource,
        CASE
            WHEN eventCategory = 'Data' THEN 'data'
            WHEN eventCategory = 'NetworkActivity' THEN 'network'
            WHEN managementEvent = false THEN 'data'
            ELSE 'management'
        END AS kind,
        readOnly,
        strlen(eventJson) AS bytes
    FROM events
    WHERE ($since IS NULL OR eventTime >= $since)
        AND ($until IS NULL OR eventTime < $until)
        AND ($since IS NULL OR eventDate >= CAST($since AS DATE))  -- skips partitions
        AND ($until IS NULL OR eventDate <= CAST($until AS DATE))
),
usage AS (
    SELECT
        month,
        eventSource,
        count(*) AS events,
        count(*) FILTER (WHERE kind = 'management') AS management_events,
        count(*) FILTER (WHERE kind = 'management' AND readOnly = false) AS management_writes,
        count(*) FILTER (WHERE kind = 'data') AS data_events,
        count(*) FILTER (WHERE kind = 'network') AS network_events,
        sum(bytes) AS bytes
    FROM classified
    GROUP BY 1, 2
),
analysed AS (
    SELECT
        usage.*,
        CASE WHEN $insights_call_rate THEN management_writes ELSE 0 END
            + CASE WHEN $insights_error_rate THEN management_events ELSE 0 END
            AS insights_analyzed,
        CAST(bytes AS DOUBLE) / $bytes_per_gb AS gb
    FROM usage
)
SELECT
    month,
    eventSource,
    CAST(events AS BIGINT) AS events,
    CAST(management_events AS BIGINT) AS management_events,
    CAST(data_events + network_events AS BIGINT) AS data_events,
    CAST(insights_analyzed AS BIGINT) AS insights_analyzed,
    gb AS lake_gb,
    management_events * ($trails - 1) * $management_event_copy_per_100k / 100000.0
        AS extra_trails_usd,
    (data_events * $data_event_per_100k + network_events * $network_activity_event_per_100k)
        / 100000.0 AS data_events_usd,
    insights_analyzed * $insights_per_100k_analyzed / 100000.0 AS insights_usd,
    gb * $lake_ingest_per_gb AS lake_ingest_usd,
    gb * $queries_per_day * $query_scan_days * $lake_scan_per_gb AS lake_scan_usd
FROM analysed
