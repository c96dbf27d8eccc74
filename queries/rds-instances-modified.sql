/*
description: >-
  RDS database instances modified (ModifyDBInstance): who changed which instance, and
  what they changed.
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
    array_to_string(
        list_sort(list_transform(
            list_filter(map_entries(requestParameters), lambda e: e.key <> 'dBInstanceIdentifier'),
            lambda e: e.key || '=' || coalesce(e.value, 'null')
        )),
        '; '
    ) AS changes,
    userIdentity.arn AS changedBy,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'rds.amazonaws.com'
    AND eventName = 'ModifyDBInstance'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, dbInstance
