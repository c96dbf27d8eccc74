/*
description: >-
  Everything one principal did, in order: give an ARN, principal id, user name or access
  key id.
tags: [identity, investigation]
parameters:
  principal:
    type: string
    description: ARN, principal id, user name, role name or access key id
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
    eventSource,
    eventName,
    awsRegion,
    sourceIPAddress,
    userAgent,
    errorCode,
    readOnly,
    userIdentity.arn AS identityArn,
    userIdentity.accessKeyId AS accessKeyId,
    recipientAccountId AS accountId,
    eventID
FROM events
WHERE $principal IN (
        userIdentity.arn, userIdentity.principalId, userIdentity.userName,
        userIdentity.accessKeyId, userIdentity.sessionContext.sessionIssuer.arn,
        userIdentity.sessionContext.sessionIssuer.userName
    )
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventID
