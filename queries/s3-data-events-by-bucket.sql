/*
description: >-
  S3 data events (object reads and writes) per bucket, with the identities behind them.
tags: [s3, data-access]
parameters:
  days:
    type: integer
    default: 7
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
SELECT
    requestParameters['bucketName'] AS bucketName,
    count(*) AS requests,
    count(*) FILTER (WHERE readOnly) AS reads,
    count(*) FILTER (WHERE NOT readOnly) AS writes,
    count(errorCode) AS errors,
    count(DISTINCT userIdentity.arn) AS identities
FROM events
WHERE eventSource = 's3.amazonaws.com'
    AND eventCategory = 'Data'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1
ORDER BY requests DESC, bucketName
