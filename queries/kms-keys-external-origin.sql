/*
description: >-
  KMS keys created with key material from outside AWS KMS (origin EXTERNAL or an
  external key store), which you must protect and rotate yourself.
tags: [kms, security]
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
    requestParameters['origin'] AS origin,
    json_extract_string(responseElements['keyMetadata'], '$.keyUsage') AS keyUsage,
    json_extract_string(responseElements['keyMetadata'], '$.keyId') AS keyId,
    awsRegion,
    userIdentity.arn AS createdBy,
    recipientAccountId AS accountId
FROM events
WHERE eventSource = 'kms.amazonaws.com'
    AND eventName = 'CreateKey'
    AND left(coalesce(requestParameters['origin'], 'AWS_KMS'), 4) <> 'AWS_'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, keyId
