-- Hand-written DuckDB SQL: the 20 busiest APIs (bench/logs_insights.py).
SELECT eventSource, eventName, count(*) AS n
FROM events
GROUP BY ALL
ORDER BY n DESC
LIMIT 20
