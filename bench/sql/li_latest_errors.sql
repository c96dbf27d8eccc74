-- Hand-written DuckDB SQL: the latest event of each API and error (bench/logs_insights.py).
SELECT max(eventTime) AS latest, eventName, errorCode
FROM events
WHERE errorCode IS NOT NULL
GROUP BY ALL
ORDER BY latest DESC
LIMIT 50
