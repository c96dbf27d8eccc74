/*
description: >-
  Throttled API calls by event source, event name and caller: who hits API rate limits.
tags: [errors, throttling, operations]
parameters:
  error_codes:
    type: list
    default: [
        ThrottlingException, Throttling, Client.RequestLimitExceeded, RequestLimitExceeded,
        TooManyRequestsException, RequestThrottled, RequestThrottledException, SlowDown
    ]
    description: Error codes that mean the call was throttled
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
    eventSource,
    eventName,
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS identity,
    count(*) AS throttled,
    min(eventTime) AS firstSeen,
    max(eventTime) AS lastSeen
FROM events
WHERE errorCode IN (SELECT unnest(CAST($error_codes AS VARCHAR[])))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2, 3
ORDER BY throttled DESC, eventSource, eventName, identity
