-- Insights records shaped for table aws_insights.
--
-- Input: `part(j, lakeSource, eventTime, lakeBatch)`, the rows of insight_rows.sql.
SELECT
    r.eventID,
    r.eventVersion,
    eventTime,
    r.awsRegion,
    r.eventType,
    r.recipientAccountId,
    r.sharedEventID,
    r.eventCategory,
    json_extract(j, '$.insightDetails') AS insightDetails,
    j AS eventJson,
    lakeSource,
    lakeBatch
FROM (
    SELECT
        *,
        json_transform(j, '{
            "eventID": "VARCHAR", "eventVersion": "VARCHAR", "awsRegion": "VARCHAR",
            "eventType": "VARCHAR", "recipientAccountId": "VARCHAR",
            "sharedEventID": "VARCHAR", "eventCategory": "VARCHAR"
        }') AS r
    FROM part
) AS typed
