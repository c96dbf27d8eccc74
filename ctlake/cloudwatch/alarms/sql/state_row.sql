SELECT state, since, reason, reason_data, evaluated_until, config_digest
FROM alarm_state
WHERE alarm_name = $name
