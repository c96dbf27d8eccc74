-- Hand-written DuckDB SQL: identities with the most AccessDenied (bench/logs_insights.py).
SELECT userIdentity.arn, count(*) AS n
FROM events
WHERE errorCode = 'AccessDenied'
GROUP BY ALL
ORDER BY n DESC
LIMIT 10
