-- One narrow row per record of the batch: what deciding its fate needs. Its key, its time
-- (offsets and fractional seconds normalized to UTC), its partition, and the reason it
-- cannot be stored, if it cannot. The JSON text is not read here: it is typed once, as it
-- is written (type_events.sql), and only for the rows that are stored.
--
-- Input: `incoming_keys(row_no, file_no, ordinal, eventID, rawTime, eventType)`, the string
-- values of those fields as read from each record (NULL when absent or not a string).
CREATE OR REPLACE TEMP TABLE batch_keys AS
WITH timed AS (
    SELECT
        *,
        timezone('UTC', TRY_CAST(rawTime AS TIMESTAMPTZ)) AS eventTime
    FROM incoming_keys
)
SELECT
    row_no,
    file_no,
    ordinal,
    eventID,
    eventType,
    eventTime,
    CAST(eventTime AS DATE) AS eventDate,
    CASE
        WHEN eventID IS NULL OR eventID = '' THEN 'record has no eventID'
        WHEN rawTime IS NULL OR rawTime = '' THEN 'record has no eventTime'
        WHEN eventTime IS NULL THEN 'eventTime is not a timestamp: ' || rawTime
    END AS reason
FROM timed;
