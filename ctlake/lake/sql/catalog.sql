-- The lake's catalog: everything but the event rows themselves. Created idempotently on
-- every open for write, so a lake made by an older ctlake gains new tables.

CREATE TABLE IF NOT EXISTS lake_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per ingest batch; a batch is one catalog transaction.
CREATE SEQUENCE IF NOT EXISTS batch_seq START 1;
CREATE TABLE IF NOT EXISTS batches (
    batch_id       BIGINT PRIMARY KEY,
    committed_at   TIMESTAMP NOT NULL,
    files          BIGINT NOT NULL,
    records        BIGINT NOT NULL,
    stored         BIGINT NOT NULL,
    duplicates     BIGINT NOT NULL,
    quarantined    BIGINT NOT NULL,
    min_event_time TIMESTAMP,   -- earliest eventTime stored by the batch: incremental models
    max_event_time TIMESTAMP    -- re-run from here when late data arrives
);

-- The live Parquet files of table `events`, relative to the lake folder.
CREATE TABLE IF NOT EXISTS lake_files (
    path      VARCHAR PRIMARY KEY,
    eventDate DATE NOT NULL,
    rows      BIGINT NOT NULL,
    bytes     BIGINT NOT NULL,
    batch_id  BIGINT NOT NULL
);

-- File moves a committed batch still has to make (temporary file -> final name, or a
-- compacted file to delete). Replayed after a crash; empty between batches.
CREATE TABLE IF NOT EXISTS pending_moves (
    batch_id BIGINT NOT NULL,
    action   VARCHAR NOT NULL,  -- 'publish' (rename src to dst) or 'remove' (delete dst)
    src      VARCHAR,
    dst      VARCHAR NOT NULL
);

-- Source files read, so a file already ingested is skipped.
CREATE TABLE IF NOT EXISTS ingested_files (
    source      VARCHAR NOT NULL,
    size        BIGINT NOT NULL,
    hash        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,  -- records | quarantined (the whole file set aside)
    records     BIGINT NOT NULL,   -- record entries read (stored, duplicate or set aside)
    batch_id    BIGINT NOT NULL,
    PRIMARY KEY (source, size, hash)
);

-- Input set aside, with the reason and the raw text, so nothing is silently dropped.
CREATE SEQUENCE IF NOT EXISTS quarantine_seq START 1;
CREATE TABLE IF NOT EXISTS quarantine (
    id             BIGINT PRIMARY KEY,
    batch_id       BIGINT NOT NULL,
    source         VARCHAR NOT NULL,
    location       VARCHAR,         -- 'line 12', 'record 3', or NULL for the whole file
    reason         VARCHAR NOT NULL,
    raw            VARCHAR,
    quarantined_at TIMESTAMP NOT NULL
);

-- CloudTrail Insights records delivered by AWS (CloudTrail-Insight/ files).
CREATE TABLE IF NOT EXISTS aws_insights (
    eventID            VARCHAR PRIMARY KEY,
    eventVersion       VARCHAR,
    eventTime          TIMESTAMP NOT NULL,
    awsRegion          VARCHAR,
    eventType          VARCHAR,
    recipientAccountId VARCHAR,
    sharedEventID      VARCHAR,
    eventCategory      VARCHAR,
    insightDetails     JSON,
    eventJson          VARCHAR NOT NULL,
    lakeSource         VARCHAR NOT NULL,
    lakeBatch          BIGINT NOT NULL
);

-- CloudWatch metric alarms (ctlake/cloudwatch/alarms/). `alarm_state`: each configured
-- alarm's current state, since when (event time) and why, the last period end evaluated,
-- the newest batch seen (a later batch with older events is late data) and a digest of
-- its definition (a changed alarm is evaluated afresh).
CREATE TABLE IF NOT EXISTS alarm_state (
    alarm_name      VARCHAR PRIMARY KEY,
    state           VARCHAR NOT NULL,   -- OK | ALARM | INSUFFICIENT_DATA
    since           TIMESTAMP NOT NULL,
    reason          VARCHAR NOT NULL,
    reason_data     VARCHAR NOT NULL,   -- JSON, CloudWatch's StateReasonData
    evaluated_until TIMESTAMP,          -- the last period end evaluated
    config_digest   VARCHAR NOT NULL,
    batch_id        BIGINT NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- Every state change, append-only: what was recorded (and delivered) is never rewritten;
-- a change found late (late-arriving events) is a new row with `late` set.
CREATE TABLE IF NOT EXISTS alarm_history (
    seq         BIGINT PRIMARY KEY,     -- the order recorded
    alarm_name  VARCHAR NOT NULL,
    "timestamp" TIMESTAMP NOT NULL,     -- the period end (event time) the change happened at
    old_state   VARCHAR NOT NULL,
    new_state   VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    reason_data VARCHAR NOT NULL,
    late        BOOLEAN NOT NULL,
    event_id    VARCHAR NOT NULL,       -- its "CloudWatch Alarm State Change" event
    recorded_at TIMESTAMP NOT NULL
);

-- The evaluator's own view, rewritten when late data changes past periods: the state each
-- alarm's machine entered at each period end, where it changed.
CREATE TABLE IF NOT EXISTS alarm_timeline (
    alarm_name VARCHAR NOT NULL,
    period_end TIMESTAMP NOT NULL,
    state      VARCHAR NOT NULL,
    PRIMARY KEY (alarm_name, period_end)
);
