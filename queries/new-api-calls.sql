/*
description: >-
  APIs called in the window that were not called at all in the `baseline_days` before
  it: new behaviour worth a look.
tags: [activity, anomaly]
parameters:
  baseline_days:
    type: integer
    default: 14
    description: Days before the window that define what is usual
  days:
    type: integer
    default: 1
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
WITH recent AS (
    SELECT
        eventSource,
        eventName,
        count(*) AS calls,
        count(DISTINCT userIdentity.arn) AS identities,
        min(eventTime) AS firstSeen
    FROM events
    WHERE eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2
),
baseline AS (
    SELECT DISTINCT eventSource, eventName
    FROM events
    WHERE eventTime >= CAST($until AS TIMESTAMP)
            - (CAST($days AS INTEGER) + CAST($baseline_days AS INTEGER)) * INTERVAL 1 DAY
        AND eventTime < CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
)
SELECT r.eventSource, r.eventName, r.calls, r.identities, r.firstSeen
FROM recent AS r
LEFT JOIN baseline AS b ON b.eventSource = r.eventSource AND b.eventName = r.eventName
WHERE b.eventName IS NULL
ORDER BY r.firstSeen, r.eventSource, r.eventName
