/*
kind: incremental
time_column: minute
lookback: 0m
grain: [series_id, minute]
description: >
  Each minute with a call of a write API (the 'calls' series of minute_baselines), the
  series' previous such minute and its baseline at that minute: what series_gaps measures
  a series' rhythm with, so that a refresh does not sort each series' whole history again.
  A row depends only on the calls up to its minute.
*/
WITH recent AS (
    -- the window's calls, after each series' last call before the window
    SELECT
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        series_id,
        minute,
        baseline_days,
        baseline_duration,
        baseline_average
    FROM minute_baselines
    WHERE series_type = 'calls'
      AND minute >= {{ start }}
      AND minute < {{ end }}
    UNION ALL
    SELECT
        NULL AS recipientAccountId,
        NULL AS awsRegion,
        NULL AS eventSource,
        NULL AS eventName,
        series_id,
        max(minute) AS minute,
        NULL AS baseline_days,
        NULL AS baseline_duration,
        NULL AS baseline_average
    FROM minute_baselines
    WHERE series_type = 'calls'
      AND minute < {{ start }}
    GROUP BY series_id
),

linked AS (
    SELECT
        *,
        lag(minute) OVER (PARTITION BY series_id ORDER BY minute) AS previous_call
    FROM recent
)

SELECT
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    series_id,
    minute,
    previous_call,
    baseline_days,
    baseline_duration,
    baseline_average
FROM linked
WHERE minute >= {{ start }}
  AND minute < {{ end }}
