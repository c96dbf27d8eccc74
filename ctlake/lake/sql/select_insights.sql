-- The valid CloudTrail Insights records of the batch (eventType AwsCloudTrailInsight),
-- shaped for table aws_insights. They are never counted as API events.
CREATE OR REPLACE TEMP TABLE batch_insights AS
SELECT
    eventID,
    eventVersion,
    eventTime,
    awsRegion,
    eventType,
    recipientAccountId,
    sharedEventID,
    eventCategory,
    json_extract(eventJson, '$.insightDetails') AS insightDetails,
    eventJson,
    lakeSource,
    lakeBatch
FROM (
    SELECT *, row_number() OVER (PARTITION BY eventID ORDER BY lakeSource, location) AS copy_no
    FROM batch_events
    WHERE reason IS NULL AND eventType = 'AwsCloudTrailInsight'
) AS firsts
WHERE copy_no = 1
