/*
kind: incremental
time_column: minute
lookback: 0m
grain: [series_id, minute]
description: >
  The anomalous minutes. A non-zero minute is anomalous when its rolling-window count is at
  least min_count and above rate_factor x the baseline average over the window, its own
  count is above rate_factor x the baseline average, and the window count is above
  time_of_day_factor x the level the series reaches at this time of day on
  time_of_day_days of the baseline days (so a nightly job is normal). While the account has
  less than a week of history, the level is at least the series' busiest window so far
  (until an hour before). Thresholds come from ctlake.toml, per API from insight_overrides.
  threshold is the window bar the minute crossed; onset_threshold the per-minute share of
  rules 2 and 3, which the minutes just before a period's first one must exceed to move its
  Start back (insight_periods). See sql/README.md for the rule and its reasons.
*/
WITH recent AS (
    -- the window's minutes
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
        baseline_duration,
        baseline_average,
        date_trunc('day', minute) + CAST(
            floor((extract(hour FROM minute) * 60 + extract(minute FROM minute))
                / {{ time_of_day_slot_minutes }}) * {{ time_of_day_slot_minutes }} AS INTEGER
        ) * INTERVAL '1' MINUTE AS slot_start
    FROM minute_baselines
    WHERE minute >= {{ start }}
      AND minute < {{ end }}
),

limits AS (
    SELECT
        r.*,
        coalesce(by_name.rate_factor, by_source.rate_factor, {{ rate_factor }}) AS rate_factor,
        coalesce(by_name.min_count, by_source.min_count, {{ min_count }}) AS min_count,
        coalesce(
            by_name.time_of_day_factor, by_source.time_of_day_factor, {{ time_of_day_factor }}
        ) AS time_of_day_factor
    FROM recent AS r
    LEFT JOIN insight_overrides AS by_name
        ON by_name.eventSource = r.eventSource AND by_name.eventName = r.eventName
    LEFT JOIN insight_overrides AS by_source
        ON by_source.eventSource = r.eventSource AND by_source.eventName IS NULL
    WHERE r.baseline_days >= {{ learning_days }}
),

candidates AS (
    SELECT *
    FROM limits
    WHERE window_count >= min_count
      AND window_count > rate_factor * baseline_average * {{ window_minutes }}
      AND n > rate_factor * baseline_average
),

history AS (
    -- the candidate series' minutes of the eight days up to the window's end: their
    -- time-of-day levels and, in the learning week, their busiest windows
    SELECT
        b.series_id,
        b.minute,
        b.window_count,
        date_trunc('day', b.minute) + CAST(
            floor((extract(hour FROM b.minute) * 60 + extract(minute FROM b.minute))
                / {{ time_of_day_slot_minutes }}) * {{ time_of_day_slot_minutes }} AS INTEGER
        ) * INTERVAL '1' MINUTE AS slot_start
    FROM minute_baselines AS b
    WHERE b.minute >= {{ start }} - INTERVAL '8' DAY
      AND b.minute < {{ end }}
      AND b.series_id IN (SELECT series_id FROM candidates)
),

slots AS (
    -- the busiest rolling window of each candidate series in each time-of-day slot
    SELECT series_id, slot_start, max(window_count) AS level
    FROM history
    GROUP BY 1, 2
),

offsets AS (
    SELECT d.days_back, s.slots_off
    FROM (VALUES (1), (2), (3), (4), (5), (6), (7)) AS d (days_back)
    CROSS JOIN (VALUES (-1), (0), (1)) AS s (slots_off)
),

day_levels AS (
    -- per candidate and earlier day: the level at the same time of day (slot and neighbours)
    SELECT
        c.series_id,
        c.minute,
        o.days_back,
        max(s.level) AS level
    FROM candidates AS c
    INNER JOIN offsets AS o ON o.days_back <= c.baseline_days
    INNER JOIN slots AS s
        ON s.series_id = c.series_id
        AND s.slot_start = c.slot_start - o.days_back * INTERVAL '1' DAY
            + o.slots_off * {{ time_of_day_slot_minutes }} * INTERVAL '1' MINUTE
    GROUP BY 1, 2, 3
),

learning AS (
    -- while the baseline is shorter than a week: the busiest window the series had in it,
    -- up to an hour before (so a burst does not become its own reference)
    SELECT
        c.series_id,
        c.minute,
        max(r.window_count) AS peak
    FROM candidates AS c
    INNER JOIN history AS r
        ON r.series_id = c.series_id
        AND r.minute >= c.minute - c.baseline_days * INTERVAL '1' DAY
        AND r.minute < c.minute - INTERVAL '1' HOUR
    WHERE c.baseline_days < 7
    GROUP BY 1, 2
),

ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY series_id, minute ORDER BY level DESC, days_back
        ) AS position
    FROM day_levels
),

judged AS (
    SELECT
        c.*,
        GREATEST(coalesce(t.level, 0), coalesce(u.peak, 0)) AS time_of_day_level
    FROM candidates AS c
    LEFT JOIN learning AS u ON u.series_id = c.series_id AND u.minute = c.minute
    LEFT JOIN ranked AS t
        ON t.series_id = c.series_id
        AND t.minute = c.minute
        AND t.position = LEAST({{ time_of_day_days }}, c.baseline_days)
)

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
    baseline_duration,
    baseline_average,
    CAST(time_of_day_level AS BIGINT) AS time_of_day_level,
    CAST(
        GREATEST(
            min_count,
            rate_factor * baseline_average * {{ window_minutes }},
            time_of_day_factor * time_of_day_level
        ) AS DOUBLE
    ) AS threshold,
    CAST(
        GREATEST(
            rate_factor * baseline_average,
            time_of_day_factor * time_of_day_level / {{ window_minutes }}
        ) AS DOUBLE
    ) AS onset_threshold
FROM judged
WHERE window_count > time_of_day_factor * time_of_day_level
