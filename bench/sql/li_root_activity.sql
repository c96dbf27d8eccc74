-- Hand-written DuckDB SQL: the root user's latest calls (bench/logs_insights.py).
SELECT eventTime, eventName, sourceIPAddress
FROM events
WHERE userIdentity.type = 'Root'
ORDER BY eventTime DESC
LIMIT 100
