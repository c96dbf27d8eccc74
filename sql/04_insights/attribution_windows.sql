/*
kind: view
description: >
  The windows whose events the attributions count, one row per insight and scope:
  'insight' = [insightStart, insightStart + insightDuration) averaged over insightDuration,
  'baseline' = [baselineStart, baselineEnd) averaged over baselineDuration. A gap insight
  has no 'insight' window: by definition its series made no call during the gap. The keys
  of insight_attributions; window_end is the latest event time a window's rows read.
*/
SELECT
    sharedEventID,
    'insight' AS scope,
    insightType,
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    errorCode,
    insightStart AS window_start,
    insightStart + insightDuration * INTERVAL '1' MINUTE AS window_end,
    insightDuration AS minutes
FROM insight_periods
WHERE insightType <> 'ApiCallGapInsight'

UNION ALL

SELECT
    sharedEventID,
    'baseline' AS scope,
    insightType,
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    errorCode,
    baselineStart AS window_start,
    baselineEnd AS window_end,
    baselineDuration AS minutes
FROM insight_periods
