/*
description: >-
  Insights found by ctlake (table insight_events, built by `ctlake refresh`): one row
  per insight, with its baseline and peak.
tags: [insights]
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
    insightStart,
    insightEnd,
    recipientAccountId AS accountId,
    awsRegion,
    eventSource,
    eventName,
    insightType,
    errorCode,
    baselineAverage,
    insightAverage,
    sharedEventID
FROM insight_events
WHERE state = 'Start'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY insightStart, accountId, awsRegion, eventSource, eventName, sharedEventID
