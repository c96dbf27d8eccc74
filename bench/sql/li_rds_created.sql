-- Hand-written DuckDB SQL for the blog's RDS instances created query (bench/logs_insights.py).
SELECT awsRegion, requestParameters['dBInstanceIdentifier'], userIdentity.arn
FROM events
WHERE eventSource = 'rds.amazonaws.com' AND eventName = 'CreateDBInstance'
ORDER BY eventTime DESC
LIMIT 10000
