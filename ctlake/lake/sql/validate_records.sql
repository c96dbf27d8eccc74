-- Sort the staged records of one batch into those the lake can store and those it must
-- set aside. Input: table `staged(j, lakeSource, location, kind)`, each
-- `j` one JSON object. A record needs an eventID and an eventTime that parses as a
-- timestamp; offsets (+11:00) and fractional seconds are normalized to UTC.
CREATE OR REPLACE TEMP TABLE checked AS
SELECT
    s.j,
    s.lakeSource,
    s.location,
    s.kind,
    s.eventID,
    s.eventTime,
    CASE
        WHEN s.eventID IS NULL OR s.eventID = '' THEN 'record has no eventID'
        WHEN s.rawTime IS NULL OR s.rawTime = '' THEN 'record has no eventTime'
        WHEN s.eventTime IS NULL THEN 'eventTime is not a timestamp: ' || s.rawTime
    END AS reason
FROM (
    SELECT
        j,
        lakeSource,
        location,
        kind,
        json_extract_string(j, '$.eventID') AS eventID,
        json_extract_string(j, '$.eventTime') AS rawTime,
        timezone('UTC', TRY_CAST(json_extract_string(j, '$.eventTime') AS TIMESTAMPTZ))
            AS eventTime
    FROM staged
) AS s;
