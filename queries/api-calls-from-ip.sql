/*
description: Every API call made from one source IP address, oldest first.
tags: [network, investigation]
parameters:
  ip:
    type: string
    description: The source IP address (sourceIPAddress), e.g. 192.0.2.10
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
    eventTime,
    eventSource,
    eventName,
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS identity,
    recipientAccountId AS accountId,
    awsRegion,
    userAgent,
    errorCode,
    eventID
FROM events
WHERE sourceIPAddress = $ip
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventID
