/*
description: >-
  RDS database instances created (CreateDBInstance): where, which engine and class, and
  who created them.
tags: [rds, database, changes]
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
    awsRegion,
    requestParameters['dBInstanceIdentifier'] AS dbInstance,
    requestParameters['engine'] AS engine,
    requestParameters['dBInstanceClass'] AS instanceClass,
    requestParameters['publiclyAccessible'] AS publiclyAccessible,
    requestParameters['storageEncrypted'] AS storageEncrypted,
    userIdentity.arn AS createdBy,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'rds.amazonaws.com'
    AND eventName = 'CreateDBInstance'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, dbInstance
