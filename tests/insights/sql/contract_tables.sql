-- The insight tables as the models produce them (the contract in the brief), empty, so the
-- insights CLI can be tested without running the detector.
CREATE OR REPLACE TABLE insight_events (
    eventID VARCHAR, sharedEventID VARCHAR, state VARCHAR, eventTime TIMESTAMP,
    recipientAccountId VARCHAR, awsRegion VARCHAR, eventSource VARCHAR, eventName VARCHAR,
    insightType VARCHAR, errorCode VARCHAR, insightStart TIMESTAMP, insightEnd TIMESTAMP,
    baselineAverage DOUBLE, insightAverage DOUBLE, baselineDuration BIGINT,
    insightDuration BIGINT, eventJson VARCHAR
);
CREATE OR REPLACE TABLE insight_attributions (
    sharedEventID VARCHAR, attribute VARCHAR, scope VARCHAR, rank INTEGER, value VARCHAR,
    average DOUBLE
);
CREATE OR REPLACE TABLE minute_counts (
    series_type VARCHAR, recipientAccountId VARCHAR, awsRegion VARCHAR, eventSource VARCHAR,
    eventName VARCHAR, errorCode VARCHAR, minute TIMESTAMP, n BIGINT
);
