/*
description: >-
  Changes to IAM policies: created, versioned, attached, detached, inline put or
  deleted.
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
    coalesce(requestParameters['policyArn'], requestParameters['policyName']) AS policy,
    coalesce(
        requestParameters['userName'], requestParameters['roleName'], requestParameters['groupName']
    ) AS principal,
    userIdentity.arn AS changedBy,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'iam.amazonaws.com'
    AND eventName IN (SELECT unnest([
        'CreatePolicy', 'CreatePolicyVersion', 'DeletePolicy', 'DeletePolicyVersion',
        'SetDefaultPolicyVersion', 'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy',
        'DetachUserPolicy', 'DetachRolePolicy', 'DetachGroupPolicy', 'PutUserPolicy',
        'PutRolePolicy', 'PutGroupPolicy', 'DeleteUserPolicy', 'DeleteRolePolicy',
        'DeleteGroupPolicy'
    ]))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName, eventID
