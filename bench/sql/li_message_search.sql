-- Hand-written DuckDB SQL: the latest records whose text holds AccessDenied (bench/logs_insights.py).
SELECT eventTime, eventJson
FROM events
WHERE contains(eventJson, 'AccessDenied')
ORDER BY eventTime DESC
LIMIT 20
