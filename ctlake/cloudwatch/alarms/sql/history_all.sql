-- Every alarm's state changes, in the order they were recorded.
SELECT alarm_name, "timestamp", old_state, new_state, reason
FROM alarm_history
ORDER BY seq
