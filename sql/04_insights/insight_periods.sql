/*
kind: incremental
time_column: settled_at
lookback: 0m
grain: [sharedEventID]
description: >
  One row per insight. Consecutive anomalous minutes of a series (at most
  period_tolerance_minutes quiet minutes between them) form one call-rate or error-rate
  period. Its Start moves back from the first anomalous minute over the run of minutes just
  before it that were already above that minute's onset_threshold (consecutive, or at most
  onset_gap_minutes other minutes apart; never into the previous period): where the burst
  began, not where its window crossed the bar. Gaps in periodic activity are periods too.
  Carries the statistics of the Start and End records and the baseline window of the
  attributions; drops what ctlake.toml suppresses.
  An insight is open (insightEnd NULL, no End record yet) until the data reaches
  period_tolerance_minutes past its last anomalous minute: it could still go on.
  sharedEventID is a UUID-formatted md5 of the series and the start, so rebuilds keep ids.
  Incremental on settled_at: when the insight was settled, i.e. the account's first minute
  with data at least period_tolerance_minutes after a period's end (a gap's insightEnd);
  NULL while it is open. A period settled before the window depends on nothing at or after
  its start, so only the periods not yet settled by the data before the window are computed.
*/
WITH flagged AS (
    SELECT
        f.*,
        lag(f.minute) OVER (PARTITION BY f.series_id ORDER BY f.minute) AS previous_flag
    FROM minute_flags AS f
),

numbered AS (
    SELECT
        *,
        SUM(
            CASE
                WHEN previous_flag IS NULL THEN 1
                WHEN minute > previous_flag
                    + INTERVAL '{{ period_tolerance_minutes + 1 }}' MINUTE THEN 1
                ELSE 0
            END
        ) OVER (
            PARTITION BY series_id
            ORDER BY minute
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS period_number
    FROM flagged
),

bounds AS (
    SELECT
        series_id,
        min(minute) AS first_flag,
        max(minute) + INTERVAL '1' MINUTE AS insightEnd
    FROM numbered
    GROUP BY series_id, period_number
),

before_window AS (
    -- each account's last minute with data before the window
    SELECT recipientAccountId, max(minute) AS last_minute
    FROM minute_counts
    WHERE minute < {{ start }}
    GROUP BY 1
),

firsts AS (
    -- each period's first anomalous minute, its per-minute bar and the previous period's end
    SELECT
        f.series_type,
        f.recipientAccountId,
        f.awsRegion,
        f.eventSource,
        f.eventName,
        f.errorCode,
        b.*,
        f.onset_threshold,
        lag(b.insightEnd) OVER (PARTITION BY b.series_id ORDER BY b.first_flag) AS previous_end
    FROM bounds AS b
    INNER JOIN minute_flags AS f ON f.series_id = b.series_id AND f.minute = b.first_flag
),

unsettled AS (
    -- the periods the window can change: those the data before it had not settled (a
    -- settled period ended period_tolerance_minutes before that data; a new flag after it
    -- starts a new period, and nothing before its end changed)
    SELECT p.*
    FROM firsts AS p
    LEFT JOIN before_window AS w ON w.recipientAccountId = p.recipientAccountId
    WHERE w.last_minute IS NULL
       OR p.insightEnd + INTERVAL '{{ period_tolerance_minutes }}' MINUTE > w.last_minute
),

elevated AS (
    -- the onset candidates: the first anomalous minute, and the minutes before it (after the
    -- previous period) whose own count was already above its per-minute bar
    SELECT p.series_id, p.first_flag, c.minute
    FROM unsettled AS p
    INNER JOIN minute_baselines AS c
        ON c.series_id = p.series_id
        AND c.minute < p.first_flag
        AND (p.previous_end IS NULL OR c.minute >= p.previous_end)
    WHERE c.n > p.onset_threshold
    UNION ALL
    SELECT series_id, first_flag, first_flag AS minute
    FROM unsettled
),

linked AS (
    -- a break: more than onset_gap_minutes other minutes before the next candidate
    SELECT
        *,
        CASE
            WHEN lead(minute) OVER (PARTITION BY series_id, first_flag ORDER BY minute) > minute + INTERVAL '{{ onset_gap_minutes + 1 }}' MINUTE THEN 1
            ELSE 0
        END AS breaks
    FROM elevated
),

unbroken AS (
    SELECT
        *,
        SUM(breaks) OVER (
            PARTITION BY series_id, first_flag
            ORDER BY minute
            ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING
        ) AS breaks_after
    FROM linked
),

spans AS (
    -- Start: the earliest candidate with no break between it and the first anomalous minute
    SELECT b.series_id, min(u.minute) AS insightStart, b.insightEnd
    FROM unsettled AS b
    INNER JOIN unbroken AS u ON u.series_id = b.series_id AND u.first_flag = b.first_flag
    WHERE u.breaks_after = 0
    GROUP BY b.series_id, b.first_flag, b.insightEnd
),

totals AS (
    SELECT b.series_id, b.insightStart, b.insightEnd, sum(c.n) AS total
    FROM spans AS b
    INNER JOIN minute_baselines AS c
        ON c.series_id = b.series_id
        AND c.minute >= b.insightStart
        AND c.minute < b.insightEnd
    GROUP BY 1, 2, 3
),

marks AS (
    -- the periods' settling points (period_tolerance_minutes after their end) among the
    -- accounts' minutes with data; an unsettled period settles at a minute after the data
    -- before the window, so the window's minutes are enough
    SELECT
        recipientAccountId,
        minute AS mark_time,
        1 AS kind,
        minute AS data_minute,
        NULL AS series_id,  -- untyped: the type of the engine's hash (see minute_baselines)
        CAST(NULL AS TIMESTAMP) AS insightEnd
    FROM (
        SELECT DISTINCT recipientAccountId, minute
        FROM minute_counts
        WHERE minute >= {{ start }}
          AND minute < {{ end }}
    ) AS m
    UNION ALL
    SELECT
        recipientAccountId,
        insightEnd + INTERVAL '{{ period_tolerance_minutes }}' MINUTE AS mark_time,
        0 AS kind,
        CAST(NULL AS TIMESTAMP) AS data_minute,
        series_id,
        insightEnd
    FROM unsettled
),

settled AS (
    -- each period's settled_at: the first minute with data at or after its settling point
    SELECT
        *,
        min(data_minute) OVER (
            PARTITION BY recipientAccountId
            ORDER BY mark_time, kind
            ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING
        ) AS settled_at
    FROM marks
),

rates AS (
    SELECT
        CASE f.series_type
            WHEN 'calls' THEN 'ApiCallRateInsight'
            ELSE 'ApiErrorRateInsight'
        END AS insightType,
        f.recipientAccountId,
        f.awsRegion,
        f.eventSource,
        f.eventName,
        f.errorCode,
        t.series_id,
        t.insightStart,
        CASE WHEN s.settled_at IS NOT NULL THEN t.insightEnd END AS insightEnd,
        CAST(date_diff('minute', t.insightStart, t.insightEnd) AS BIGINT) AS insightDuration,
        f.baseline_average AS baselineAverage,
        f.baseline_duration AS baselineDuration,
        CAST(f.n AS DOUBLE) AS startAverage,
        CAST(t.total AS DOUBLE) / date_diff('minute', t.insightStart, t.insightEnd)
            AS periodAverage,
        t.insightStart - f.baseline_days * INTERVAL '1' DAY AS baselineStart,
        t.insightStart AS baselineEnd,
        s.settled_at
    FROM totals AS t
    INNER JOIN settled AS s
        ON s.kind = 0
        AND s.series_id = t.series_id
        AND s.insightEnd = t.insightEnd
    INNER JOIN minute_baselines AS f ON f.series_id = t.series_id AND f.minute = t.insightStart
),

gaps AS (
    SELECT
        'ApiCallGapInsight' AS insightType,
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        CAST(NULL AS VARCHAR) AS errorCode,
        series_id,
        insightStart,
        insightEnd,
        insightDuration,
        baseline_average AS baselineAverage,
        baseline_duration AS baselineDuration,
        CAST(0 AS DOUBLE) AS startAverage,
        CAST(0 AS DOUBLE) AS periodAverage,
        last_call - baseline_days * INTERVAL '1' DAY AS baselineStart,
        last_call AS baselineEnd,
        insightEnd AS settled_at
    FROM series_gaps
    WHERE insightEnd >= {{ start }}
       OR insightEnd IS NULL
),

periods AS (
    SELECT * FROM rates
    UNION ALL
    SELECT * FROM gaps
),

keyed AS (
    SELECT
        md5(
            p.insightType || '|' || p.recipientAccountId || '|' || p.awsRegion || '|'
            || p.eventSource || '|' || p.eventName || '|' || coalesce(p.errorCode, '') || '|'
            || strftime(p.insightStart, '%Y-%m-%d') || 'T'
            || strftime(p.insightStart, '%H:%M:%S') || 'Z'
        ) AS digest,
        p.*
    FROM periods AS p
    WHERE NOT EXISTS (
        SELECT 1
        FROM insight_suppressions AS s
        WHERE (s.recipientAccountId IS NULL OR s.recipientAccountId = p.recipientAccountId)
          AND (s.awsRegion IS NULL OR s.awsRegion = p.awsRegion)
          AND (s.eventSource IS NULL OR s.eventSource = p.eventSource)
          AND (s.eventName IS NULL OR s.eventName = p.eventName)
          AND (s.insightType IS NULL OR s.insightType = p.insightType)
          AND (s.errorCode IS NULL OR s.errorCode = p.errorCode)
    )
)

SELECT
    substr(digest, 1, 8) || '-' || substr(digest, 9, 4) || '-' || substr(digest, 13, 4) || '-'
    || substr(digest, 17, 4) || '-' || substr(digest, 21, 12) AS sharedEventID,
    insightType,
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    errorCode,
    series_id,
    insightStart,
    insightEnd,
    insightDuration,
    baselineAverage,
    baselineDuration,
    startAverage,
    periodAverage,
    baselineStart,
    baselineEnd,
    settled_at
FROM keyed
