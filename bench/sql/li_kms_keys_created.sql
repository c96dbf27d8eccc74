-- Hand-written DuckDB SQL for the blog's KMS keys created query (bench/logs_insights.py).
SELECT eventName, requestParameters['origin'],
    json_extract_string(responseElements['keyMetadata'], '$.keyUsage'), awsRegion,
    userIdentity.arn, json_extract_string(responseElements['keyMetadata'], '$.keyId')
FROM events
WHERE eventName = 'CreateKey' AND requestParameters['origin'] <> 'AWS_*'
ORDER BY eventTime DESC
LIMIT 10000
