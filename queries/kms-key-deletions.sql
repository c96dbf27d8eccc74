/*
description: >-
  KMS keys scheduled for deletion or disabled: data encrypted under them becomes
  unreadable.
tags: [kms, changes, security]
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
SELECT
    eventTime,
    eventName,
    requestParameters['keyId'] AS keyId,
    TRY_CAST(requestParameters['pendingWindowInDays'] AS INTEGER) AS pendingWindowInDays,
    userIdentity.arn AS changedBy,
    awsRegion,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'kms.amazonaws.com'
    AND eventName IN (SELECT unnest([
        'ScheduleKeyDeletion', 'DisableKey', 'CancelKeyDeletion', 'EnableKey'
    ]))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, keyId, eventID
