/*
description: IAM roles created or given a new trust policy (who may assume them).
tags: [iam, changes, security]
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
    requestParameters['roleName'] AS roleName,
    coalesce(
        requestParameters['assumeRolePolicyDocument'], requestParameters['policyDocument']
    ) AS trustPolicy,
    userIdentity.arn AS changedBy,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'iam.amazonaws.com'
    AND eventName IN (SELECT unnest(['CreateRole', 'UpdateAssumeRolePolicy']))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, roleName, eventID
