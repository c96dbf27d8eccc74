/*
description: >-
  Changes to CloudTrail itself (trails stopped, deleted, reconfigured): someone covering
  their tracks starts here.
tags: [cloudtrail, changes, security]
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
    coalesce(
        requestParameters['name'],
        requestParameters['trailName'],
        requestParameters['eventDataStore']
    ) AS trail,
    userIdentity.arn AS changedBy,
    sourceIPAddress,
    awsRegion,
    recipientAccountId AS accountId,
    errorCode
FROM events
WHERE eventSource = 'cloudtrail.amazonaws.com'
    AND eventName IN (SELECT unnest([
        'CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging',
        'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore',
        'UpdateEventDataStore', 'StopEventDataStoreIngestion'
    ]))
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, eventName, eventID
