-- The per-API part of ctlake.toml as tables the insight models join, emptied and refilled by
-- each refresh (see state.ensure_tables). NULL in any column means "any". They are created
-- once, not replaced, so a refresh with an unchanged config leaves the catalog untouched;
-- a change of their columns must drop them first.
CREATE TABLE IF NOT EXISTS insight_overrides (
    eventSource        VARCHAR NOT NULL,
    eventName          VARCHAR,
    rate_factor        DOUBLE,
    min_count          BIGINT,
    time_of_day_factor DOUBLE
);
CREATE TABLE IF NOT EXISTS insight_suppressions (
    awsRegion          VARCHAR,
    errorCode          VARCHAR,
    eventName          VARCHAR,
    eventSource        VARCHAR,
    insightType        VARCHAR,
    reason             VARCHAR,
    recipientAccountId VARCHAR
);
DELETE FROM insight_overrides;
DELETE FROM insight_suppressions;
