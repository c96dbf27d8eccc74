-- The per-API part of ctlake.toml as tables the insight models join (rewritten each refresh).
-- NULL in any column means "any".
CREATE OR REPLACE TABLE insight_overrides (
    eventSource        VARCHAR NOT NULL,
    eventName          VARCHAR,
    rate_factor        DOUBLE,
    min_count          BIGINT,
    time_of_day_factor DOUBLE
);
CREATE OR REPLACE TABLE insight_suppressions (
    awsRegion          VARCHAR,
    errorCode          VARCHAR,
    eventName          VARCHAR,
    eventSource        VARCHAR,
    insightType        VARCHAR,
    reason             VARCHAR,
    recipientAccountId VARCHAR
);
