/*
kind: incremental
time_column: minute
lookback: 0 minutes
grain: [series_type, recipientAccountId, awsRegion, eventSource, eventName, errorCode, minute]
description: >
  Rolling-window counts and 7-day baselines per minute. For each non-zero minute of each
  series: its count n, the count over the rolling window
  ending at that minute (window_count), and the baseline: the average count per minute over
  the whole days preceding the minute (seven, or the whole days of the account's history when
  it has fewer), minutes without events counted as zero. Depends only on earlier minutes,
  so a window [start, end) is computed exactly from counts since start minus seven days.
*/
WITH counts AS (
    SELECT
        c.series_type,
        c.recipientAccountId,
        c.awsRegion,
        c.eventSource,
        c.eventName,
        c.errorCode,
        c.minute,
        c.n,
        h.history_start
    FROM minute_counts AS c
    INNER JOIN account_history AS h ON h.recipientAccountId = c.recipientAccountId
    WHERE c.minute >= {{ start }} - INTERVAL '7' DAY - INTERVAL '{{ window_minutes }}' MINUTE
      AND c.minute < {{ end }}
),

weekly AS (
    -- every row: the rolling window and the seven days before the minute
    SELECT
        series_type,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        errorCode,
        minute,
        n,
        LEAST(7, CAST(floor(date_diff('minute', history_start, minute) / 1440) AS INTEGER))
            AS baseline_days,
        SUM(n) OVER (
            series RANGE BETWEEN INTERVAL '{{ window_minutes - 1 }}' MINUTE PRECEDING AND CURRENT ROW
        ) AS window_count,
        SUM(n) OVER (series RANGE BETWEEN INTERVAL '7' DAY PRECEDING AND INTERVAL '1' MINUTE PRECEDING)
            AS sum_7
    FROM counts
    WINDOW series AS (
        PARTITION BY series_type, recipientAccountId, awsRegion, eventSource, eventName, errorCode
        ORDER BY minute
    )
),

first_week AS (
    -- an account's first week: the baseline is the whole days there are, and every row of
    -- those frames is in the first week too, so they are computed on that week alone
    SELECT
        series_type,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        errorCode,
        minute,
        SUM(n) OVER (series RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND INTERVAL '1' MINUTE PRECEDING)
            AS sum_1,
        SUM(n) OVER (series RANGE BETWEEN INTERVAL '2' DAY PRECEDING AND INTERVAL '1' MINUTE PRECEDING)
            AS sum_2,
        SUM(n) OVER (series RANGE BETWEEN INTERVAL '3' DAY PRECEDING AND INTERVAL '1' MINUTE PRECEDING)
            AS sum_3,
        SUM(n) OVER (series RANGE BETWEEN INTERVAL '4' DAY PRECEDING AND INTERVAL '1' MINUTE PRECEDING)
            AS sum_4,
        SUM(n) OVER (series RANGE BETWEEN INTERVAL '5' DAY PRECEDING AND INTERVAL '1' MINUTE PRECEDING)
            AS sum_5,
        SUM(n) OVER (series RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND INTERVAL '1' MINUTE PRECEDING)
            AS sum_6
    FROM counts
    WHERE minute < history_start + INTERVAL '7' DAY
    WINDOW series AS (
        PARTITION BY series_type, recipientAccountId, awsRegion, eventSource, eventName, errorCode
        ORDER BY minute
    )
)

SELECT
    w.series_type,
    w.recipientAccountId,
    w.awsRegion,
    w.eventSource,
    w.eventName,
    w.errorCode,
    w.minute,
    w.n,
    CAST(w.window_count AS BIGINT) AS window_count,
    w.baseline_days,
    CAST(w.baseline_days * 1440 AS BIGINT) AS baseline_duration,
    CAST(
        CASE w.baseline_days
            WHEN 1 THEN coalesce(f.sum_1, 0)
            WHEN 2 THEN coalesce(f.sum_2, 0)
            WHEN 3 THEN coalesce(f.sum_3, 0)
            WHEN 4 THEN coalesce(f.sum_4, 0)
            WHEN 5 THEN coalesce(f.sum_5, 0)
            WHEN 6 THEN coalesce(f.sum_6, 0)
            WHEN 7 THEN coalesce(w.sum_7, 0)
        END AS DOUBLE
    ) / NULLIF(w.baseline_days * 1440, 0) AS baseline_average
FROM weekly AS w
LEFT JOIN first_week AS f
    ON w.baseline_days < 7
    AND f.series_type = w.series_type
    AND f.recipientAccountId = w.recipientAccountId
    AND f.awsRegion = w.awsRegion
    AND f.eventSource = w.eventSource
    AND f.eventName = w.eventName
    AND f.errorCode IS NOT DISTINCT FROM w.errorCode
    AND f.minute = w.minute
WHERE w.minute >= {{ start }}
  AND w.minute < {{ end }}
