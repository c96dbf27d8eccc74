/*
description: >-
  IAM access keys created: for which user, by whom, and the key id.
tags: [iam, credentials, security]
parameters:
  days:
    type: integer
    default: 30
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
SELECT
    eventTime,
    coalesce(requestParameters['userName'], userIdentity.userName) AS userName,
    json_extract_string(responseElements['accessKey'], '$.accessKeyId') AS accessKeyId,
    userIdentity.arn AS createdBy,
    recipientAccountId AS accountId,
    sourceIPAddress
FROM events
WHERE eventSource = 'iam.amazonaws.com'
    AND eventName = 'CreateAccessKey'
    AND errorCode IS NULL
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, userName
