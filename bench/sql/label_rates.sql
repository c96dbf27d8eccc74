-- A labelled anomaly's strength as the lake measures it: events of its series during the
-- label window [start, end) and during the baseline [base_start, start), from minute_counts.
SELECT
    COALESCE(sum(CASE WHEN minute >= CAST($start AS TIMESTAMP) THEN n END), 0) AS during,
    COALESCE(sum(CASE WHEN minute < CAST($start AS TIMESTAMP) THEN n END), 0) AS before
FROM minute_counts
WHERE series_type = CAST($series_type AS VARCHAR)
  AND recipientAccountId = CAST($account AS VARCHAR)
  AND awsRegion = CAST($region AS VARCHAR)
  AND eventSource = CAST($source AS VARCHAR)
  AND eventName = CAST($name AS VARCHAR)
  AND errorCode IS NOT DISTINCT FROM CAST($error_code AS VARCHAR)
  AND minute >= CAST($base_start AS TIMESTAMP)
  AND minute < CAST($end AS TIMESTAMP)
