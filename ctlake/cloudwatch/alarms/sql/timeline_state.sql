-- The state the alarm's machine was in just before a period end (NULL: not yet evaluated).
SELECT state
FROM alarm_timeline
WHERE alarm_name = $name
    AND period_end < $before
ORDER BY period_end DESC
LIMIT 1
