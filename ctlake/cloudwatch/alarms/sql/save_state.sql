INSERT OR REPLACE INTO alarm_state
VALUES (
    $name, $state, $since, $reason, $reason_data, $evaluated_until, $digest, $batch_id,
    CAST(now() AS TIMESTAMP)
)
