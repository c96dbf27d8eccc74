/*
kind: table
grain: [recipientAccountId, awsRegion, eventSource, eventName, last_call]
description: >
  Gaps in periodic activity (ApiCallGapInsight). A write API called in at least
  gap_min_per_day minutes a day over its baseline, whose calls then stop for at least
  gap_factor x the longest interval between its calls in the previous seven days (and at
  least gap_min_minutes). insightEnd is the call that resumed the series, NULL while the gap
  is still open at the end of the account's data. Rebuilt each run: an open gap depends on
  the newest data.
*/
WITH calls AS (
    SELECT
        c.recipientAccountId,
        c.awsRegion,
        c.eventSource,
        c.eventName,
        c.minute,
        date_diff('minute', lag(c.minute) OVER series, c.minute) AS interval_before,
        coalesce(lead(c.minute) OVER series, h.history_end + INTERVAL '1' MINUTE) AS gap_end,
        lead(c.minute) OVER series AS next_call
    FROM minute_counts AS c
    INNER JOIN account_history AS h ON h.recipientAccountId = c.recipientAccountId
    WHERE c.series_type = 'calls'
    WINDOW series AS (
        PARTITION BY c.recipientAccountId, c.awsRegion, c.eventSource, c.eventName
        ORDER BY c.minute
    )
),

openings AS (
    -- calls followed by a silence long enough to be a gap, whatever the series' rhythm
    SELECT *
    FROM calls
    WHERE date_diff('minute', minute, gap_end) >= {{ gap_min_minutes }}
),

regularity AS (
    -- the series' rhythm over the seven days up to each opening
    SELECT
        o.recipientAccountId,
        o.awsRegion,
        o.eventSource,
        o.eventName,
        o.minute,
        o.next_call,
        o.gap_end,
        count(*) AS active_minutes,
        max(w.interval_before) AS longest_interval
    FROM openings AS o
    INNER JOIN calls AS w
        ON w.recipientAccountId = o.recipientAccountId
        AND w.awsRegion = o.awsRegion
        AND w.eventSource = o.eventSource
        AND w.eventName = o.eventName
        AND w.minute >= o.minute - INTERVAL '7' DAY
        AND w.minute <= o.minute
    GROUP BY 1, 2, 3, 4, 5, 6, 7
),

gaps AS (
    SELECT
        g.recipientAccountId,
        g.awsRegion,
        g.eventSource,
        g.eventName,
        g.minute AS last_call,
        g.next_call,
        g.longest_interval,
        g.active_minutes,
        b.baseline_days,
        b.baseline_duration,
        b.baseline_average,
        g.gap_end
    FROM regularity AS g
    INNER JOIN minute_baselines AS b
        ON b.series_type = 'calls'
        AND b.recipientAccountId = g.recipientAccountId
        AND b.awsRegion = g.awsRegion
        AND b.eventSource = g.eventSource
        AND b.eventName = g.eventName
        AND b.minute = g.minute
    WHERE b.baseline_days >= {{ learning_days }}
      AND g.active_minutes >= {{ gap_min_per_day }} * b.baseline_days
)

SELECT
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    last_call,
    last_call + longest_interval * INTERVAL '1' MINUTE AS insightStart,
    next_call AS insightEnd,
    CAST(date_diff('minute', last_call, gap_end) - longest_interval AS BIGINT) AS insightDuration,
    CAST(longest_interval AS BIGINT) AS longest_interval,
    CAST(active_minutes AS BIGINT) AS active_minutes,
    baseline_days,
    baseline_duration,
    baseline_average
FROM gaps
WHERE date_diff('minute', last_call, gap_end)
    >= GREATEST({{ gap_factor }} * longest_interval, {{ gap_min_minutes }})
