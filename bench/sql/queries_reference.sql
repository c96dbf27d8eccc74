-- The reference every saved query is compared with: a scan of the whole lake grouped by
-- API, what a query costs when nothing lets DuckDB skip a file.
SELECT eventSource, eventName, count(*) AS calls
FROM events
GROUP BY 1, 2
ORDER BY 3 DESC
