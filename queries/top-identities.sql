/*
description: >-
  The busiest identities: calls, errors, distinct APIs and source IPs, first and last
  seen.
tags: [identity, activity]
parameters:
  limit:
    type: integer
    default: 20
    description: How many identities to list
  days:
    type: integer
    default: 7
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
WITH slices AS (
    SELECT
        coalesce(userIdentity.arn, userIdentity.invokedBy, userIdentity.principalId) AS identity,
        userIdentity.type AS identityType,
        eventSource,
        eventName,
        sourceIPAddress,
        count(*) AS calls,
        count(errorCode) AS errors,
        min(eventTime) AS firstSeen,
        max(eventTime) AS lastSeen
    FROM events
    WHERE eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2, 3, 4, 5
)
SELECT
    identity,
    identityType,
    CAST(sum(calls) AS BIGINT) AS calls,
    CAST(sum(errors) AS BIGINT) AS errors,
    count(DISTINCT eventSource || ' ' || eventName) AS apis,
    count(DISTINCT sourceIPAddress) AS sourceIPs,
    min(firstSeen) AS firstSeen,
    max(lastSeen) AS lastSeen
FROM slices
GROUP BY 1, 2
ORDER BY calls DESC, identity, identityType
LIMIT $limit
