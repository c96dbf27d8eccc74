/*
kind: table
grain: [sharedEventID, attribute, scope, rank]
description: >
  Top identities, user agents and error codes per insight. For userIdentityArn, userAgent and (not for error-rate insights)
  errorCode, the top five values by average per minute during the insight (scope 'insight',
  divided by insightDuration) and during its baseline (scope 'baseline', divided by
  baselineDuration), ranked 1..5 by count then value; the rest summed as rank 6 'Other'.
  A missing value is the string 'null', as in AWS's records ("null" errorCode = no error).
*/
WITH periods AS (
    SELECT
        sharedEventID,
        insightType,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        errorCode,
        insightStart,
        insightStart + insightDuration * INTERVAL '1' MINUTE AS insightEnd,
        insightDuration,
        baselineStart,
        baselineEnd,
        baselineDuration
    FROM insight_periods
),

matching AS (
    SELECT
        p.sharedEventID,
        p.insightType,
        CASE WHEN e.eventTime >= p.insightStart THEN 'insight' ELSE 'baseline' END AS scope,
        coalesce(e.userIdentity.arn, 'null') AS userIdentityArn,
        coalesce(e.userAgent, 'null') AS userAgent,
        coalesce(NULLIF(e.errorCode, ''), 'null') AS errorCode
    FROM events AS e
    INNER JOIN periods AS p
        ON e.recipientAccountId = p.recipientAccountId
        AND e.awsRegion = p.awsRegion
        AND e.eventSource = p.eventSource
        AND e.eventName = p.eventName
    WHERE (
        (e.eventTime >= p.baselineStart AND e.eventTime < p.baselineEnd)
        OR (e.eventTime >= p.insightStart AND e.eventTime < p.insightEnd)
    )
      AND (e.managementEvent IS NULL OR e.managementEvent)
      AND (e.eventType IS NULL OR e.eventType <> 'AwsCloudTrailInsight')
      AND (
        (p.insightType = 'ApiErrorRateInsight' AND NULLIF(e.errorCode, '') = p.errorCode)
        OR (p.insightType <> 'ApiErrorRateInsight' AND e.readOnly = FALSE)
    )
),

counted AS (
    SELECT sharedEventID, scope, 'userIdentityArn' AS attribute, userIdentityArn AS value,
        count(*) AS calls
    FROM matching
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT sharedEventID, scope, 'userAgent' AS attribute, userAgent AS value, count(*) AS calls
    FROM matching
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT sharedEventID, scope, 'errorCode' AS attribute, errorCode AS value, count(*) AS calls
    FROM matching
    WHERE insightType <> 'ApiErrorRateInsight'
    GROUP BY 1, 2, 3, 4
),

ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY sharedEventID, attribute, scope ORDER BY calls DESC, value
        ) AS position
    FROM counted
),

grouped AS (
    SELECT
        sharedEventID,
        attribute,
        scope,
        CASE WHEN position <= 5 THEN position ELSE 6 END AS rank,
        CASE WHEN position <= 5 THEN value ELSE 'Other' END AS value,
        sum(calls) AS calls
    FROM ranked
    GROUP BY 1, 2, 3, 4, 5
)

SELECT
    g.sharedEventID,
    g.attribute,
    g.scope,
    CAST(g.rank AS INTEGER) AS rank,
    g.value,
    CAST(g.calls AS DOUBLE) / CASE g.scope
        WHEN 'insight' THEN p.insightDuration
        ELSE p.baselineDuration
    END AS average
FROM grouped AS g
INNER JOIN periods AS p ON p.sharedEventID = g.sharedEventID
