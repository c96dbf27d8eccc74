/*
description: >-
  Who read which Secrets Manager secrets (GetSecretValue), how often, first and last
  time.
tags: [secrets, data-access, security]
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
SELECT
    requestParameters['secretId'] AS secretId,
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS identity,
    count(*) AS reads,
    count(errorCode) AS failures,
    min(eventTime) AS firstSeen,
    max(eventTime) AS lastSeen
FROM events
WHERE eventSource = 'secretsmanager.amazonaws.com'
    AND eventName = 'GetSecretValue'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2
ORDER BY reads DESC, secretId, identity
