/*
kind: keyed
key: [sharedEventID, scope]
keys_from: attribution_windows
key_time: window_end
grain: [sharedEventID, attribute, scope, rank]
description: >
  Top identities, user agents and error codes per insight. For userIdentityArn, userAgent
  and (not for error-rate insights) errorCode, the top five values by average per minute
  during the insight (scope 'insight', divided by insightDuration) and during its baseline
  (scope 'baseline', divided by baselineDuration), ranked 1..5 by count then value; the rest
  summed as rank 6 'Other'. A missing value is the string 'null', as in AWS's records ("null"
  errorCode = no error). Keyed by insight and scope: the rows of a window depend only on it
  and on the events before its end, so a refresh recomputes the windows that are new,
  changed or end after the earliest new event (an open insight's), not an insight's seven
  baseline days on every run.
*/
WITH matching AS (
    SELECT
        w.sharedEventID,
        w.scope,
        w.insightType,
        coalesce(e.userIdentity.arn, 'null') AS userIdentityArn,
        coalesce(e.userAgent, 'null') AS userAgent,
        coalesce(NULLIF(e.errorCode, ''), 'null') AS errorCode
    FROM events AS e
    INNER JOIN attribution_windows AS w
        ON e.recipientAccountId = w.recipientAccountId
        AND e.awsRegion = w.awsRegion
        AND e.eventSource = w.eventSource
        AND e.eventName = w.eventName
    WHERE e.eventTime >= w.window_start
      AND e.eventTime < w.window_end
      AND e.eventDate >= CAST(w.window_start AS DATE)
      AND e.eventDate <= CAST(w.window_end AS DATE)
      AND (e.managementEvent IS NULL OR e.managementEvent)
      AND (e.eventType IS NULL OR e.eventType <> 'AwsCloudTrailInsight')
      AND (
        (w.insightType = 'ApiErrorRateInsight' AND NULLIF(e.errorCode, '') = w.errorCode)
        OR (w.insightType <> 'ApiErrorRateInsight' AND e.readOnly = FALSE)
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
    CAST(g.calls AS DOUBLE) / w.minutes AS average
FROM grouped AS g
INNER JOIN attribution_windows AS w ON w.sharedEventID = g.sharedEventID AND w.scope = g.scope
