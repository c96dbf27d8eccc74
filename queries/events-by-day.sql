/*
description: >-
  Events per day: total, writes, errors, distinct identities and accounts.
tags: [activity, volume]
parameters:
  days:
    type: integer
    default: 30
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
WITH per_identity AS (
    SELECT
        eventDate,
        userIdentity.arn AS identity,
        recipientAccountId,
        count(*) AS events,
        count(*) FILTER (WHERE NOT readOnly) AS writes,
        count(errorCode) AS errors
    FROM events
    WHERE eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2, 3
)
SELECT
    eventDate,
    CAST(sum(events) AS BIGINT) AS events,
    CAST(sum(writes) AS BIGINT) AS writes,
    CAST(sum(errors) AS BIGINT) AS errors,
    count(DISTINCT identity) AS identities,
    count(DISTINCT recipientAccountId) AS accounts
FROM per_identity
GROUP BY 1
ORDER BY eventDate
