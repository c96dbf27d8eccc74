/*
description: >-
  AssumeRole calls asking for sessions longer than `max_seconds`
  (requestParameters.durationSeconds).
tags: [sts, credentials, security]
parameters:
  max_seconds:
    type: integer
    default: 3600
    description: Sessions longer than this many seconds are listed
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
    eventTime,
    eventName,
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS caller,
    requestParameters['roleArn'] AS roleArn,
    requestParameters['roleSessionName'] AS roleSessionName,
    TRY_CAST(requestParameters['durationSeconds'] AS INTEGER) AS durationSeconds,
    sourceIPAddress,
    recipientAccountId AS accountId
FROM events
WHERE eventSource = 'sts.amazonaws.com'
    AND eventName IN (SELECT unnest([
        'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'
    ]))
    AND TRY_CAST(requestParameters['durationSeconds'] AS INTEGER) > $max_seconds
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY durationSeconds DESC, eventTime
