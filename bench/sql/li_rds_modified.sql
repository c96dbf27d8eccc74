-- Hand-written DuckDB SQL for the blog's RDS instances modified query (bench/logs_insights.py).
SELECT awsRegion, requestParameters['dBInstanceIdentifier'], userIdentity.arn,
    regexp_extract(eventJson, 'requestParameters":\{(.*?)\}', 1)
FROM events
WHERE eventSource = 'rds.amazonaws.com' AND eventName = 'ModifyDBInstance'
ORDER BY eventTime DESC
LIMIT 10000
