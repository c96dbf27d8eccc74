-- `ctlake insights list` as rows for people and spreadsheets (table, csv): one row per
-- record, oldest first, a Start before its End.
SELECT
    strftime(eventTime, '%Y-%m-%dT%H:%M:%SZ') AS eventTime,
    state,
    insightType,
    recipientAccountId AS account,
    awsRegion AS region,
    eventSource,
    eventName,
    errorCode,
    round(baselineAverage, 4) AS baselineAverage,
    round(insightAverage, 4) AS insightAverage,
    insightDuration,
    sharedEventID
FROM selected_insights
ORDER BY selected_insights.eventTime, CASE state WHEN 'Start' THEN 0 ELSE 1 END, eventID
