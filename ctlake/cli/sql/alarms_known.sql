-- Whether an alarm has any recorded state (configured now or not).
SELECT count(*) > 0 FROM alarm_state WHERE alarm_name = $name
