-- A state change's "CloudWatch Alarm State Change" event joins the delivery outbox's
-- record store; `ctlake run`'s delivery then adds a pending row per sink.
INSERT INTO delivery_events (eventID, state, eventTime, recipientAccountId, awsRegion, eventJson, found_at, kind)
VALUES ($event_id, $state, $event_time, $account, $region, $event_json, CAST(now() AS TIMESTAMP), 'alarm')
