/*
description: >-
  Changes to who may reach an S3 bucket: bucket policies, ACLs and public access blocks.
tags: [s3, changes, security]
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
    requestParameters['bucketName'] AS bucketName,
    userIdentity.arn AS changedBy,
    sourceIPAddress,
    awsRegion,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 's3.amazonaws.com'
    AND eventName IN (SELECT unnest([
        'PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock',
        'DeleteBucketPublicAccessBlock', 'PutBucketOwnershipControls'
    ]))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, bucketName, eventID
