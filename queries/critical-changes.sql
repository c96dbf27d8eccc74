/*
description: >-
  Calls that weaken security or destroy data (DeleteBucket, StopLogging, DeleteTrail,
  PutBucketPolicy, AuthorizeSecurityGroupIngress, ...): the ones worth an alert.
tags: [security, changes, alerting]
parameters:
  events:
    type: list
    default: [
        DeleteBucket, PutBucketPolicy, DeleteBucketPolicy, PutBucketAcl,
        DeleteBucketPublicAccessBlock, StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors,
        AuthorizeSecurityGroupIngress, AuthorizeSecurityGroupEgress, CreateNetworkAclEntry,
        DeleteFlowLogs, ScheduleKeyDeletion, DisableKey, DeleteDetector,
        StopConfigurationRecorder, DeleteConfigurationRecorder, CreateAccessKey,
        AttachUserPolicy, AttachRolePolicy, PutUserPolicy, PutRolePolicy,
        UpdateAssumeRolePolicy, DeactivateMFADevice, LeaveOrganization
    ]
    description: The event names that count as critical
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
    coalesce(
        requestParameters['bucketName'], requestParameters['name'], requestParameters['trailName'],
        requestParameters['groupId'], requestParameters['keyId'], requestParameters['detectorId'],
        requestParameters['userName'], requestParameters['roleName'],
        requestParameters['configurationRecorderName']
    ) AS target,
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS identity,
    sourceIPAddress,
    awsRegion,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventName IN (SELECT unnest(CAST($events AS VARCHAR[])))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName, eventID
