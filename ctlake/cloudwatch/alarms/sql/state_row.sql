SELECT state, since, reason, reason_data, evaluated_until, config_digest, batch_id
FROM alarm_state
WHERE alarm_name = $name
