-- The insight records (Start and End) that match the filters of `ctlake insights list`,
-- into TEMP TABLE selected_insights. A NULL parameter means "no filter". The time range
-- keeps every insight whose period [insightStart, insightEnd) overlaps [$since, $until),
-- so a Start and its End are always selected together. An insight still open (no End
-- yet) has a NULL insightEnd and counts as running to the end of time.
CREATE OR REPLACE TEMP TABLE selected_insights AS
SELECT
    eventTime, state, insightType, recipientAccountId, awsRegion, eventSource, eventName,
    errorCode, insightStart, insightEnd, baselineAverage, insightAverage, baselineDuration,
    insightDuration, eventID, sharedEventID, eventJson
FROM insight_events
WHERE (CAST($since AS TIMESTAMP) IS NULL
       OR COALESCE(insightEnd, TIMESTAMP '9999-12-31 00:00:00') > CAST($since AS TIMESTAMP))
  AND (CAST($until AS TIMESTAMP) IS NULL OR insightStart < CAST($until AS TIMESTAMP))
  AND (CAST($insight_type AS VARCHAR) IS NULL OR insightType = CAST($insight_type AS VARCHAR))
  AND (CAST($source AS VARCHAR) IS NULL OR eventSource = CAST($source AS VARCHAR))
  AND (CAST($name AS VARCHAR) IS NULL OR eventName = CAST($name AS VARCHAR))
  AND (CAST($account AS VARCHAR) IS NULL OR recipientAccountId = CAST($account AS VARCHAR))
  AND (CAST($region AS VARCHAR) IS NULL OR awsRegion = CAST($region AS VARCHAR))
  AND (CAST($state AS VARCHAR) IS NULL OR state = CAST($state AS VARCHAR))
