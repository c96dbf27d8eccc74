/*
description: Console passwords created, changed or removed, and password recovery requests.
tags: [iam, signin, credentials]
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
    eventSource,
    eventName,
    coalesce(requestParameters['userName'], userIdentity.userName) AS userName,
    coalesce(userIdentity.arn, userIdentity.principalId) AS changedBy,
    sourceIPAddress,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE (
        eventSource = 'iam.amazonaws.com' AND eventName IN (
            'CreateLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile', 'ChangePassword'
        )
        OR eventSource = 'signin.amazonaws.com' AND eventName IN (
            'PasswordRecoveryRequested', 'PasswordRecoveryCompleted'
        )
    )
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName, eventID
