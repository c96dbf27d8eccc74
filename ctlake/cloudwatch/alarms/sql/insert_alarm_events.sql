-- A run's "CloudWatch Alarm State Change" events, one list per column (zipped by unnest),
-- join the delivery outbox's record store; `ctlake run`'s delivery then adds a pending row
-- per sink.
INSERT INTO delivery_events (
    eventID, state, eventTime, recipientAccountId, awsRegion, eventJson, found_at, kind
)
SELECT
    unnest(CAST($eventID AS VARCHAR[])),
    unnest(CAST($state AS VARCHAR[])),
    unnest(CAST($eventTime AS TIMESTAMP[])),
    unnest(CAST($recipientAccountId AS VARCHAR[])),
    unnest(CAST($awsRegion AS VARCHAR[])),
    unnest(CAST($eventJson AS VARCHAR[])),
    CAST(now() AS TIMESTAMP),
    'alarm'
