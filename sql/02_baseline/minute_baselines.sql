/*
kind: incremental
time_column: minute
lookback: 0m
grain: [series_id, minute]
description: >
  Rolling-window counts and 7-day baselines per minute. For each non-zero minute of each
  series: its count n, the count over the rolling window
  ending at that minute (window_count), and the baseline: the average count per minute over
  the whole days preceding the minute (seven, or the whole days of the account's history when
  it has fewer), minutes without events counted as zero. Depends only on earlier minutes.
  The baseline sum of a minute t with k baseline days needs no sort of k days of minutes:
  from start + k days on, all of [t - k days, t) is in the window (a window frame over its
  minutes); before, it is the series' count in the k days before start (one aggregation),
  plus its minutes in [start, t), minus those of [start - k days, t - k days) (moved k days
  later and summed in order with the window's minutes). So a window [start, end) reads the
  counts of [start - 7 days, end) and sorts only the window's minutes and those of the seven
  days before start that leave a baseline in it (in an account's first week: of its first
  day). A full build (start at the epoch) sorts every minute once, and its first week's
  again with those of the accounts' first day.
  series_id is a 64-bit hash of the six key columns: the models below group, sort and join
  on it instead of six strings (a new DuckDB version rebuilds every model, so the ids never
  mix two hash functions; two series sharing an id would fail the grain).
*/
WITH series_counts AS (
    -- the counts the window reads, with their series' id
    SELECT
        *,
        hash(series_type, recipientAccountId, awsRegion, eventSource, eventName, errorCode)
            AS series_id
    FROM minute_counts
    WHERE minute >= {{ start }} - INTERVAL '7' DAY
      AND minute < {{ end }}
),

counts AS (
    -- the window's minutes (and the rolling window's before it), with the baseline length
    SELECT
        c.series_type,
        c.recipientAccountId,
        c.awsRegion,
        c.eventSource,
        c.eventName,
        c.errorCode,
        c.series_id,
        c.minute,
        c.n,
        LEAST(7, CAST(floor(date_diff('minute', h.history_start, c.minute) / 1440) AS INTEGER))
            AS baseline_days
    FROM series_counts AS c
    INNER JOIN account_history AS h ON h.recipientAccountId = c.recipientAccountId
    WHERE c.minute >= {{ start }} - INTERVAL '{{ window_minutes - 1 }}' MINUTE
      AND c.minute < {{ end }}
),

running AS (
    -- the rolling window, the series' count from start up to the minute (excluded), and the
    -- seven days before the minute (exact from start + 7 days on: then they are all read)
    SELECT
        *,
        SUM(n) OVER (
            PARTITION BY series_id
            ORDER BY minute
            RANGE BETWEEN INTERVAL '{{ window_minutes - 1 }}' MINUTE PRECEDING AND CURRENT ROW
        ) AS window_count,
        SUM(CASE WHEN minute >= {{ start }} THEN n END) OVER (
            PARTITION BY series_id
            ORDER BY minute
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS since_start,
        SUM(n) OVER (
            PARTITION BY series_id
            ORDER BY minute
            RANGE BETWEEN INTERVAL '10080' MINUTE PRECEDING AND INTERVAL '1' MINUTE PRECEDING
        ) AS within_week
    FROM counts
),

before_start AS (
    -- per series, the counts in the k days before start, k = 1..7
    SELECT
        series_id,
        sum(CASE WHEN minute >= {{ start }} - INTERVAL '1' DAY THEN n END) AS days_1,
        sum(CASE WHEN minute >= {{ start }} - INTERVAL '2' DAY THEN n END) AS days_2,
        sum(CASE WHEN minute >= {{ start }} - INTERVAL '3' DAY THEN n END) AS days_3,
        sum(CASE WHEN minute >= {{ start }} - INTERVAL '4' DAY THEN n END) AS days_4,
        sum(CASE WHEN minute >= {{ start }} - INTERVAL '5' DAY THEN n END) AS days_5,
        sum(CASE WHEN minute >= {{ start }} - INTERVAL '6' DAY THEN n END) AS days_6,
        sum(n) AS days_7
    FROM series_counts
    WHERE minute >= {{ start }} - INTERVAL '7' DAY
      AND minute < {{ start }}
    GROUP BY 1
),

days AS (
    SELECT days FROM (VALUES (1), (2), (3), (4), (5), (6), (7)) AS d (days)
),

shifted AS (
    -- the minutes of the seven days before start, moved seven days later: they leave the
    -- baseline of the window's minutes before start + 7 days
    SELECT
        series_type,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        errorCode,
        series_id,
        7 AS baseline_days,
        minute + INTERVAL '7' DAY AS minute,
        1 AS kind,
        n,
        CAST(NULL AS BIGINT) AS window_count,
        CAST(NULL AS BIGINT) AS since_start
    FROM series_counts
    WHERE minute >= {{ start }} - INTERVAL '7' DAY
      AND minute < {{ start }}
      AND minute < {{ end }} - INTERVAL '7' DAY
    UNION ALL
    -- an account's first week (k < 7): only its first day's minutes can leave
    SELECT
        c.series_type,
        c.recipientAccountId,
        c.awsRegion,
        c.eventSource,
        c.eventName,
        c.errorCode,
        c.series_id,
        d.days AS baseline_days,
        c.minute + d.days * INTERVAL '1' DAY AS minute,
        1 AS kind,
        c.n,
        CAST(NULL AS BIGINT) AS window_count,
        CAST(NULL AS BIGINT) AS since_start
    FROM series_counts AS c
    INNER JOIN account_history AS h ON h.recipientAccountId = c.recipientAccountId
    INNER JOIN days AS d
        ON c.minute >= {{ start }} - d.days * INTERVAL '1' DAY
        AND c.minute < {{ end }} - d.days * INTERVAL '1' DAY
    WHERE c.minute < h.history_start + INTERVAL '1' DAY
      AND c.minute >= {{ start }} - INTERVAL '6' DAY
      AND c.minute < {{ end }} - INTERVAL '1' DAY
      AND d.days < 7
    UNION ALL
    -- the window's minutes whose baseline reaches before start: where each sum is read
    -- (kind 0 sorts first, so a minute exactly k days before t still counts in t's baseline)
    SELECT
        series_type,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        errorCode,
        series_id,
        baseline_days,
        minute,
        0 AS kind,
        n,
        CAST(window_count AS BIGINT) AS window_count,
        CAST(since_start AS BIGINT) AS since_start
    FROM running
    WHERE minute >= {{ start }}
      AND minute < {{ end }}
      AND baseline_days >= 1
      AND (baseline_days < 7 OR minute < {{ start }} + INTERVAL '7' DAY)
),

leaving AS (
    -- per minute t of the window: the count of [start - k days, t - k days), k its baseline days
    SELECT
        *,
        SUM(CASE WHEN kind = 1 THEN n END) OVER (
            PARTITION BY series_id, baseline_days
            ORDER BY minute, kind
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS left_baseline
    FROM shifted
),

sums AS (
    -- the window's minutes with their rolling window and baseline sum
    SELECT
        series_type,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        errorCode,
        series_id,
        minute,
        n,
        CAST(window_count AS BIGINT) AS window_count,
        baseline_days,
        CAST(coalesce(within_week, 0) AS BIGINT) AS baseline_sum,
        0 AS before_start
    FROM running
    WHERE minute >= {{ start }}
      AND minute < {{ end }}
      AND NOT (
        baseline_days >= 1
        AND (baseline_days < 7 OR minute < {{ start }} + INTERVAL '7' DAY)
    )
    UNION ALL
    SELECT
        series_type,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        errorCode,
        series_id,
        minute,
        n,
        window_count,
        baseline_days,
        coalesce(since_start, 0) - coalesce(left_baseline, 0) AS baseline_sum,
        1 AS before_start
    FROM leaving
    WHERE kind = 0
)

SELECT
    s.series_type,
    s.recipientAccountId,
    s.awsRegion,
    s.eventSource,
    s.eventName,
    s.errorCode,
    s.series_id,
    s.minute,
    s.n,
    s.window_count,
    s.baseline_days,
    CAST(s.baseline_days * 1440 AS BIGINT) AS baseline_duration,
    CAST(
        s.baseline_sum + CASE
            WHEN s.before_start = 0 THEN 0
            WHEN s.baseline_days = 1 THEN coalesce(b.days_1, 0)
            WHEN s.baseline_days = 2 THEN coalesce(b.days_2, 0)
            WHEN s.baseline_days = 3 THEN coalesce(b.days_3, 0)
            WHEN s.baseline_days = 4 THEN coalesce(b.days_4, 0)
            WHEN s.baseline_days = 5 THEN coalesce(b.days_5, 0)
            WHEN s.baseline_days = 6 THEN coalesce(b.days_6, 0)
            ELSE coalesce(b.days_7, 0)
        END AS DOUBLE
    ) / NULLIF(s.baseline_days * 1440, 0) AS baseline_average
FROM sums AS s
LEFT JOIN before_start AS b ON s.before_start = 1 AND b.series_id = s.series_id
