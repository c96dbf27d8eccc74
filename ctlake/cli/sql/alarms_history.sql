-- One alarm's state changes in the order they were recorded (a change found through
-- late-arriving events comes after those recorded before it; its reason says so).
SELECT
    strftime("timestamp", '%Y-%m-%dT%H:%M:%SZ') AS "timestamp",
    old_state,
    new_state,
    reason
FROM alarm_history
WHERE alarm_name = $name
ORDER BY seq
