/*
description: >-
  The most frequent error codes, with the API they came from and how many identities hit
  them.
tags: [errors, operations]
parameters:
  limit:
    type: integer
    default: 20
    description: How many rows to list
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
        errorCode,
        eventSource,
        eventName,
        userIdentity.arn AS identity,
        count(*) AS errors,
        min(errorMessage) AS sampleMessage
    FROM events
    WHERE errorCode IS NOT NULL
        AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2, 3, 4
)
SELECT
    errorCode,
    eventSource,
    eventName,
    CAST(sum(errors) AS BIGINT) AS errors,
    count(identity) AS identities,
    min(sampleMessage) AS sampleMessage
FROM per_identity
GROUP BY 1, 2, 3
ORDER BY errors DESC, errorCode, eventSource, eventName
LIMIT $limit
