/*
description: >-
  EC2 instances launched (RunInstances): how many, which type, where and by whom.
tags: [ec2, compute, changes]
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
    eventTime,
    awsRegion,
    recipientAccountId AS accountId,
    requestParameters['instanceType'] AS instanceType,
    json_array_length(json_extract(responseElements['instancesSet'], '$.items')) AS instances,
    coalesce(userIdentity.arn, userIdentity.invokedBy) AS launchedBy,
    sourceIPAddress,
    errorCode
FROM events
WHERE eventSource = 'ec2.amazonaws.com'
    AND eventName = 'RunInstances'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventID
