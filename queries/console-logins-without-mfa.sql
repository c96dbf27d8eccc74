/*
description: Successful console sign-ins by IAM users or root that did not use MFA.
tags: [signin, mfa, security]
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
    userIdentity.type AS identityType,
    coalesce(userIdentity.arn, userIdentity.userName) AS identity,
    sourceIPAddress,
    awsRegion,
    recipientAccountId AS accountId,
    userAgent
FROM events
WHERE eventSource = 'signin.amazonaws.com'
    AND eventName = 'ConsoleLogin'
    AND responseElements['ConsoleLogin'] = 'Success'
    AND additionalEventData['MFAUsed'] = 'No'
    AND userIdentity.type IN ('IAMUser', 'Root')
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, identity
