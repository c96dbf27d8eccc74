/*
description: >-
  The most called APIs, leaving out AssumeRole (or whatever `exclude` lists), which
  dominates most accounts.
tags: [activity, volume]
parameters:
  limit:
    type: integer
    default: 10
    description: How many APIs to list
  exclude:
    type: list
    default: [AssumeRole]
    description: Event names to leave out
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
    SELECT eventSource, eventName, userIdentity.arn AS identity, count(*) AS calls
    FROM events
    WHERE NOT list_contains(CAST($exclude AS VARCHAR[]), eventName)
        AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2, 3
)
SELECT
    eventSource,
    eventName,
    CAST(sum(calls) AS BIGINT) AS calls,
    count(identity) AS identities
FROM per_identity
GROUP BY 1, 2
ORDER BY calls DESC, eventSource, eventName
LIMIT $limit
