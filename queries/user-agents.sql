/*
description: The user agents (SDKs, CLI, console, tools) that call your accounts, by volume.
tags: [activity, clients]
parameters:
  limit:
    type: integer
    default: 20
    description: How many user agents to list
  days:
    type: integer
    default: 7
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
WITH per_identity AS (
    SELECT
        userAgent,
        userIdentity.arn AS identity,
        count(*) AS calls,
        min(eventTime) AS firstSeen,
        max(eventTime) AS lastSeen
    FROM events
    WHERE eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2
)
SELECT
    userAgent,
    CAST(sum(calls) AS BIGINT) AS calls,
    count(identity) AS identities,
    min(firstSeen) AS firstSeen,
    max(lastSeen) AS lastSeen
FROM per_identity
GROUP BY 1
ORDER BY calls DESC, userAgent
LIMIT $limit
