/*
description: >-
  Calls refused with AccessDenied or UnauthorizedOperation, by identity and API: often
  the first sign of stolen or misused credentials.
tags: [errors, security, identity]
parameters:
  error_codes:
    type: list
    default: [
        AccessDenied, AccessDeniedException, UnauthorizedOperation,
        Client.UnauthorizedOperation, UnauthorizedAccess, Client.UnauthorizedAccess
    ]
    description: Error codes that mean the caller was not allowed
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
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS identity,
    eventSource,
    eventName,
    errorCode,
    count(*) AS denied,
    min(eventTime) AS firstSeen,
    max(eventTime) AS lastSeen,
    min(errorMessage) AS sampleMessage
FROM events
WHERE errorCode IN (SELECT unnest(CAST($error_codes AS VARCHAR[])))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2, 3, 4
ORDER BY denied DESC, identity, eventSource, eventName, errorCode
