INSERT INTO insight_events VALUES (
    $eventID, $sharedEventID, $state, CAST($eventTime AS TIMESTAMP), $recipientAccountId,
    $awsRegion, $eventSource, $eventName, $insightType, $errorCode,
    CAST($insightStart AS TIMESTAMP), CAST($insightEnd AS TIMESTAMP), $baselineAverage,
    $insightAverage, $baselineDuration, $insightDuration, $eventJson
)
