-- One insight for `ctlake insights show ID`: its records (Start first) where ID is either
-- record's eventID or the pair's sharedEventID.
SELECT
    eventID, sharedEventID, state, eventTime, recipientAccountId, awsRegion, eventSource,
    eventName, insightType, errorCode, insightStart, insightEnd, baselineAverage,
    insightAverage, baselineDuration, insightDuration
FROM insight_events
WHERE sharedEventID = (
    SELECT min(sharedEventID) FROM insight_events
    WHERE eventID = CAST($id AS VARCHAR) OR sharedEventID = CAST($id AS VARCHAR)
)
ORDER BY CASE state WHEN 'Start' THEN 0 ELSE 1 END, eventTime
