/*
kind: table
grain: [eventID]
description: >
  The CloudTrail Insights records. A Start and an End per insight (only a Start while a gap
  is still open), with eventJson in CloudTrail's own shape (eventVersion 1.08,
  insightDetails.insightContext.statistics and attributions). insight.average is the first
  minute's rate on Start and the mean rate over the period on End. eventID is a
  UUID-formatted md5 of sharedEventID and state, so a rebuild gives the same records.
*/
WITH lists AS (
    SELECT
        sharedEventID,
        attribute,
        scope,
        to_json(
            list(json_object('value', "value", 'average', round(average, 10)) ORDER BY rank)
        ) AS items
    FROM insight_attributions
    GROUP BY 1, 2, 3
),

per_attribute AS (
    SELECT
        p.sharedEventID,
        a.position,
        json_object(
            'attribute', a.attribute,
            'insight', coalesce(i.items, CAST('[]' AS JSON)),
            'baseline', coalesce(b.items, CAST('[]' AS JSON))
        ) AS item
    FROM insight_periods AS p
    INNER JOIN (
        VALUES ('userIdentityArn', 1), ('userAgent', 2), ('errorCode', 3)
    ) AS a (attribute, position)
        ON a.attribute <> 'errorCode' OR p.insightType <> 'ApiErrorRateInsight'
    LEFT JOIN lists AS i
        ON i.sharedEventID = p.sharedEventID AND i.attribute = a.attribute AND i.scope = 'insight'
    LEFT JOIN lists AS b
        ON b.sharedEventID = p.sharedEventID AND b.attribute = a.attribute
        AND b.scope = 'baseline'
),

attributions AS (
    SELECT sharedEventID, to_json(list(item ORDER BY position)) AS attributions
    FROM per_attribute
    GROUP BY 1
),

records AS (
    SELECT
        p.*,
        s.state,
        CASE s.state WHEN 'Start' THEN p.insightStart ELSE p.insightEnd END AS eventTime,
        CASE s.state WHEN 'Start' THEN p.startAverage ELSE p.periodAverage END AS insightAverage,
        md5(p.sharedEventID || '|' || s.state) AS digest,
        a.attributions
    FROM insight_periods AS p
    CROSS JOIN (VALUES ('Start'), ('End')) AS s (state)
    INNER JOIN attributions AS a ON a.sharedEventID = p.sharedEventID
    WHERE s.state = 'Start' OR p.insightEnd IS NOT NULL
),

contexts AS (
    SELECT
        *,
        substr(digest, 1, 8) || '-' || substr(digest, 9, 4) || '-' || substr(digest, 13, 4)
        || '-' || substr(digest, 17, 4) || '-' || substr(digest, 21, 12) AS eventID,
        json_object(
            'statistics', json_object(
                'baseline', json_object('average', round(baselineAverage, 10)),
                'insight', json_object('average', round(insightAverage, 10)),
                'insightDuration', insightDuration,
                'baselineDuration', baselineDuration
            ),
            'attributions', attributions
        ) AS insightContext
    FROM records
)

SELECT
    eventID,
    sharedEventID,
    state,
    eventTime,
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    insightType,
    errorCode,
    insightStart,
    insightEnd,
    baselineAverage,
    insightAverage,
    baselineDuration,
    insightDuration,
    CAST(
        json_object(
            'eventVersion', '1.08',
            'eventTime', strftime(eventTime, '%Y-%m-%dT%H:%M:%SZ'),
            'awsRegion', awsRegion,
            'eventID', eventID,
            'eventType', 'AwsCloudTrailInsight',
            'recipientAccountId', recipientAccountId,
            'sharedEventID', sharedEventID,
            'insightDetails', CASE
                WHEN errorCode IS NULL THEN json_object(
                    'state', state,
                    'eventSource', eventSource,
                    'eventName', eventName,
                    'insightType', insightType,
                    'insightContext', insightContext
                )
                ELSE json_object(
                    'state', state,
                    'eventSource', eventSource,
                    'eventName', eventName,
                    'insightType', insightType,
                    'errorCode', errorCode,
                    'insightContext', insightContext
                )
            END,
            'eventCategory', 'Insight'
        ) AS VARCHAR
    ) AS eventJson
FROM contexts
