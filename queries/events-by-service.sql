/*
description: >-
  Events per AWS service (eventSource): calls, errors, distinct APIs and identities.
tags: [activity, volume]
parameters:
  days:
    type: integer
    default: 7
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
WITH per_api AS (
    SELECT
        eventSource,
        eventName,
        userIdentity.arn AS identity,
        count(*) AS events,
        count(errorCode) AS errors
    FROM events
    WHERE eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2, 3
)
SELECT
    eventSource,
    CAST(sum(events) AS BIGINT) AS events,
    CAST(sum(errors) AS BIGINT) AS errors,
    count(DISTINCT eventName) AS apis,
    count(DISTINCT identity) AS identities
FROM per_api
GROUP BY 1
ORDER BY events DESC, eventSource
