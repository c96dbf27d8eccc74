/*
kind: incremental
time_column: minute
lookback: 0 minutes
grain: [recipientAccountId, awsRegion, eventSource, eventName, minute]
description: >
  Each minute with a call of a write API (the 'calls' series of minute_counts), the
  series' previous such minute and its baseline at that minute: what series_gaps measures
  a series' rhythm with, so that a refresh does not sort each series' whole history again.
  A row depends only on the calls up to its minute.
*/
WITH recent AS (
    -- the window's calls, after each series' last call before the window
    SELECT recipientAccountId, awsRegion, eventSource, eventName, max(minute) AS minute
    FROM minute_counts
    WHERE series_type = 'calls'
      AND minute < {{ start }}
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT recipientAccountId, awsRegion, eventSource, eventName, minute
    FROM minute_counts
    WHERE series_type = 'calls'
      AND minute >= {{ start }}
      AND minute < {{ end }}
),

linked AS (
    SELECT
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        minute,
        lag(minute) OVER (
            PARTITION BY recipientAccountId, awsRegion, eventSource, eventName
            ORDER BY minute
        ) AS previous_call
    FROM recent
)

SELECT
    l.recipientAccountId,
    l.awsRegion,
    l.eventSource,
    l.eventName,
    l.minute,
    l.previous_call,
    b.baseline_days,
    b.baseline_duration,
    b.baseline_average
FROM linked AS l
LEFT JOIN minute_baselines AS b
    ON b.series_type = 'calls'
    AND b.recipientAccountId = l.recipientAccountId
    AND b.awsRegion = l.awsRegion
    AND b.eventSource = l.eventSource
    AND b.eventName = l.eventName
    AND b.minute = l.minute
    AND b.minute >= {{ start }}
    AND b.minute < {{ end }}
WHERE l.minute >= {{ start }}
  AND l.minute < {{ end }}
