/*
description: APIs by share of calls that failed, for APIs with at least `min_calls` calls.
tags: [errors, operations]
parameters:
  min_calls:
    type: integer
    default: 10
    description: Leave out APIs with fewer calls than this
  limit:
    type: integer
    default: 20
    description: How many APIs to list
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
    count(*) AS calls,
    count(errorCode) AS errors,
    round(CAST(count(errorCode) AS DOUBLE) / count(*), 4) AS errorRate
FROM events
WHERE eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2
HAVING count(*) >= $min_calls
ORDER BY errorRate DESC, errors DESC, eventSource, eventName
LIMIT $limit
