/*
description: >-
  IAM users created in the last `days` days, with who created them and in which account.
tags: [iam, security, identity]
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
    requestParameters['userName'] AS userName,
    eventTime,
    userIdentity.arn AS createdBy,
    recipientAccountId AS accountId,
    awsRegion,
    sourceIPAddress
FROM events
WHERE eventSource = 'iam.amazonaws.com'
    AND eventName = 'CreateUser'
    AND errorCode IS NULL
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, userName
