-- A run's state changes (registered Arrow table `new_alarm_history`, seq numbered in the
-- order they were recorded).
INSERT INTO alarm_history BY NAME
SELECT *, CAST(now() AS TIMESTAMP) AS recorded_at FROM new_alarm_history
