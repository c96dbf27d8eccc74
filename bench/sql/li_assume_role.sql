-- Hand-written DuckDB SQL: AssumeRole sessions by region (bench/logs_insights.py).
SELECT awsRegion, count(*) AS n,
    quantile_cont(TRY_CAST(requestParameters['durationSeconds'] AS DOUBLE), 0.9) AS p90,
    count(DISTINCT sourceIPAddress) AS ips
FROM events
WHERE eventName = 'AssumeRole'
GROUP BY ALL
ORDER BY awsRegion
LIMIT 10000
