-- A run's "CloudWatch Alarm State Change" events (registered Arrow table
-- `new_alarm_events`) join the delivery outbox's record store; `ctlake run`'s delivery
-- then adds a pending row per sink.
INSERT INTO delivery_events BY NAME
SELECT *, CAST(now() AS TIMESTAMP) AS found_at, 'alarm' AS kind FROM new_alarm_events
