/*
description: Calls made with the root user's credentials (not on its behalf by an AWS service).
tags: [root, security]
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
    eventSource,
    eventName,
    recipientAccountId AS accountId,
    awsRegion,
    sourceIPAddress,
    userAgent,
    errorCode
FROM events
WHERE userIdentity.type = 'Root'
    AND userIdentity.invokedBy IS NULL
    AND eventType <> 'AwsServiceEvent'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName
