-- The delivery outbox. `delivery_events` keeps each insight record as found (a later
-- rebuild of insight_events cannot take back what is being delivered), and each alarm
-- state-change event (kind 'alarm') as the alarm evaluation recorded it; `outbox` has one
-- row per eventID and sink, so each sink gets each record exactly once.
CREATE TABLE IF NOT EXISTS delivery_events (
    eventID            VARCHAR PRIMARY KEY,
    state              VARCHAR NOT NULL,  -- Start | End; an alarm's new state
    eventTime          TIMESTAMP NOT NULL,
    recipientAccountId VARCHAR NOT NULL,
    awsRegion          VARCHAR NOT NULL,
    eventJson          VARCHAR NOT NULL,
    found_at           TIMESTAMP NOT NULL,
    kind               VARCHAR NOT NULL DEFAULT 'insight'  -- insight | alarm
);
-- Outboxes made before alarms were delivered gain the column.
ALTER TABLE delivery_events ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'insight';

CREATE TABLE IF NOT EXISTS outbox (
    eventID         VARCHAR NOT NULL,
    sink            VARCHAR NOT NULL,
    state           VARCHAR NOT NULL,   -- pending | delivered | failed (refused for good) | dropped
    attempts        INTEGER NOT NULL,
    last_error      VARCHAR,
    next_attempt_at TIMESTAMP,          -- NULL: at the next run
    delivered_at    TIMESTAMP,
    PRIMARY KEY (eventID, sink)
);
