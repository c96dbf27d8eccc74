-- The machine's state changes at or after a period end, as last evaluated.
SELECT period_end, state
FROM alarm_timeline
WHERE alarm_name = $name
    AND period_end >= $since
