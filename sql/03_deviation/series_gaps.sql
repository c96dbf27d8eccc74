/*
kind: incremental
time_column: insightEnd
grain: [series_id, last_call]
description: >
  Gaps in periodic activity (ApiCallGapInsight). A write API called in at least
  gap_min_per_day minutes a day over its baseline, whose calls then stop for at least
  gap_factor x the longest interval between its calls in the previous seven days (and at
  least gap_min_minutes); the silence from the account's first minute of data to the
  series' first call is one of those intervals. insightEnd is the call that resumed the
  series, NULL while the gap is still open at the end of the account's data. Incremental on
  insightEnd: a closed gap depends only on the calls up to the one that ended it; an open gap
  (NULL) is recomputed on every run. The gaps of a window [start, end) follow each series'
  last call before start or a call in the window.
*/
WITH last_before AS (
    SELECT series_id, max(minute) AS minute
    FROM call_rhythm
    WHERE minute < {{ start }}
    GROUP BY 1
),

recent AS (
    -- the calls whose following silence can end in the window or still be open: each
    -- series' last call before the window, and every call in it
    SELECT r.*
    FROM call_rhythm AS r
    INNER JOIN last_before AS l ON l.series_id = r.series_id AND l.minute = r.minute
    UNION ALL
    SELECT *
    FROM call_rhythm
    WHERE minute >= {{ start }}
      AND minute < {{ end }}
),

openings AS (
    -- calls followed by a silence long enough to be a gap, whatever the series' rhythm;
    -- the call that ended a silence is in the window, so only the window is searched for it
    SELECT
        r.*,
        h.history_start,
        n.minute AS next_call,
        coalesce(n.minute, h.history_end + INTERVAL '1' MINUTE) AS gap_end
    FROM recent AS r
    INNER JOIN account_history AS h ON h.recipientAccountId = r.recipientAccountId
    LEFT JOIN call_rhythm AS n
        ON n.series_id = r.series_id
        AND n.previous_call = r.minute
        AND n.minute >= {{ start }}
        AND n.minute < {{ end }}
    WHERE date_diff(
        'minute', r.minute, coalesce(n.minute, h.history_end + INTERVAL '1' MINUTE)
    ) >= {{ gap_min_minutes }}
),

regularity AS (
    -- the series' rhythm over the seven days up to each opening
    SELECT
        o.recipientAccountId,
        o.awsRegion,
        o.eventSource,
        o.eventName,
        o.series_id,
        o.minute AS last_call,
        o.next_call,
        o.gap_end,
        o.baseline_days,
        o.baseline_duration,
        o.baseline_average,
        count(*) AS active_minutes,
        -- the first call ever ends the silence since the account's data began: without it
        -- a series first seen today has only today's intervals, and the night after its
        -- first day of business hours looked like a periodic job that stopped
        max(
            date_diff('minute', coalesce(w.previous_call, o.history_start), w.minute)
        ) AS longest_interval
    FROM openings AS o
    INNER JOIN call_rhythm AS w
        ON w.series_id = o.series_id
        AND w.minute >= o.minute - INTERVAL '7' DAY
        AND w.minute <= o.minute
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
),

gaps AS (
    SELECT *
    FROM regularity
    WHERE baseline_days >= {{ learning_days }}
      AND active_minutes >= {{ gap_min_per_day }} * baseline_days
)

SELECT
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    series_id,
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
