-- One row per insight (a Start/End pair): its series, period and statistics, with the top
-- attributed userIdentityArn and the lake's last minute of data (where an insight with no End
-- yet runs to). What the demo and the benchmark compare with the labels.
SELECT
    e.sharedEventID,
    max(e.insightType) AS insightType,
    max(e.recipientAccountId) AS recipientAccountId,
    max(e.awsRegion) AS awsRegion,
    max(e.eventSource) AS eventSource,
    max(e.eventName) AS eventName,
    max(e.errorCode) AS errorCode,
    min(e.insightStart) AS insightStart,
    max(e.insightEnd) AS insightEnd,
    max(e.baselineAverage) AS baselineAverage,
    COALESCE(
        max(CASE WHEN e.state = 'End' THEN e.insightAverage END), max(e.insightAverage)
    ) AS insightAverage,
    max(a.value) AS topUserIdentityArn,
    (SELECT max(minute) FROM minute_counts) AS lastMinute
FROM insight_events AS e
LEFT JOIN insight_attributions AS a
    ON a.sharedEventID = e.sharedEventID
   AND a.attribute = 'userIdentityArn' AND a.scope = 'insight' AND a.rank = 1
GROUP BY e.sharedEventID
ORDER BY 8, 3, 4, 5, 6, 1
