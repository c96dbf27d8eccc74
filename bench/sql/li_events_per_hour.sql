-- Hand-written DuckDB SQL: events per hour (bench/logs_insights.py).
SELECT date_trunc('hour', eventTime) AS hour, count(*) AS n
FROM events
GROUP BY ALL
ORDER BY hour
LIMIT 10000
