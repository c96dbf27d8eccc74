-- Hand-written DuckDB SQL for the blog's console sign-in failures query (bench/logs_insights.py).
SELECT sourceIPAddress, errorMessage, awsRegion, userIdentity.arn, additionalEventData['MFAUsed'],
    count(*) AS n
FROM events
WHERE eventSource = 'signin.amazonaws.com' AND eventName = 'ConsoleLogin'
    AND responseElements['ConsoleLogin'] = 'Failure'
GROUP BY ALL
ORDER BY ALL
LIMIT 10000
