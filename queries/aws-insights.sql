/*
description: >-
  CloudTrail Insights events delivered by AWS and ingested into the lake (table
  aws_insights).
tags: [insights, aws]
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
    json_extract_string(insightDetails, '$.state') AS state,
    recipientAccountId AS accountId,
    awsRegion,
    json_extract_string(insightDetails, '$.eventSource') AS eventSource,
    json_extract_string(insightDetails, '$.eventName') AS eventName,
    json_extract_string(insightDetails, '$.insightType') AS insightType,
    json_extract_string(insightDetails, '$.errorCode') AS errorCode,
    sharedEventID
FROM aws_insights
WHERE eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
ORDER BY eventTime, sharedEventID, state
