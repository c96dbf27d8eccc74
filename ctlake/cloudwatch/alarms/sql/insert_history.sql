INSERT INTO alarm_history
VALUES (
    nextval('alarm_history_seq'), $name, $timestamp, $old_state, $new_state, $reason,
    $reason_data, $late, $event_id, CAST(now() AS TIMESTAMP)
)
