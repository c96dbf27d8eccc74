/*
description: MFA devices created, enabled, deactivated or deleted.
tags: [iam, mfa, security]
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
    coalesce(requestParameters['userName'], userIdentity.userName) AS userName,
    coalesce(
        requestParameters['serialNumber'], requestParameters['virtualMFADeviceName']
    ) AS device,
    userIdentity.arn AS changedBy,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'iam.amazonaws.com'
    AND eventName IN (SELECT unnest([
        'CreateVirtualMFADevice', 'EnableMFADevice', 'DeactivateMFADevice',
        'DeleteVirtualMFADevice', 'ResyncMFADevice'
    ]))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName, eventID
