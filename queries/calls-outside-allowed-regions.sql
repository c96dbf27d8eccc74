/*
description: >-
  API calls in regions outside the allowed list: a region nobody uses is where attackers
  mine crypto.
tags: [regions, compliance, security]
parameters:
  allowed_regions:
    type: list
    default: [us-east-1, us-west-2]
    description: The regions where calls are expected (comma-separated)
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
    awsRegion,
    recipientAccountId AS accountId,
    eventSource,
    eventName,
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS identity,
    count(*) AS calls,
    min(eventTime) AS firstSeen,
    max(eventTime) AS lastSeen
FROM events
WHERE NOT list_contains(CAST($allowed_regions AS VARCHAR[]), awsRegion)
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2, 3, 4, 5
ORDER BY calls DESC, awsRegion, accountId, eventSource, eventName, identity
