-- One series' per-minute counts over [start, end), zero minutes filled in, for the chart.
SELECT m.minute, COALESCE(c.n, 0) AS n
FROM (
    SELECT unnest(generate_series(
        CAST($start AS TIMESTAMP), CAST($end AS TIMESTAMP) - INTERVAL 1 MINUTE,
        INTERVAL 1 MINUTE)) AS minute
) AS m
LEFT JOIN (
    SELECT minute, n FROM minute_counts
    WHERE series_type = CAST($series_type AS VARCHAR)
      AND recipientAccountId = CAST($account AS VARCHAR)
      AND awsRegion = CAST($region AS VARCHAR)
      AND eventSource = CAST($source AS VARCHAR)
      AND eventName = CAST($name AS VARCHAR)
      AND errorCode IS NOT DISTINCT FROM CAST($error_code AS VARCHAR)
      AND minute >= CAST($start AS TIMESTAMP) AND minute < CAST($end AS TIMESTAMP)
) AS c ON c.minute = m.minute
ORDER BY m.minute
