-- The valid CloudTrail Insights records of the batch (eventType AwsCloudTrailInsight),
-- shaped for table aws_insights. They are never counted as API events.
CREATE OR REPLACE TEMP TABLE batch_insights AS
SELECT
    eventID,
    json_extract_string(j, '$.eventVersion') AS eventVersion,
    eventTime,
    json_extract_string(j, '$.awsRegion') AS awsRegion,
    json_extract_string(j, '$.eventType') AS eventType,
    json_extract_string(j, '$.recipientAccountId') AS recipientAccountId,
    json_extract_string(j, '$.sharedEventID') AS sharedEventID,
    json_extract_string(j, '$.eventCategory') AS eventCategory,
    json_extract(j, '$.insightDetails') AS insightDetails,
    j AS eventJson,
    lakeSource,
    CAST($batch_id AS BIGINT) AS lakeBatch
FROM (
    SELECT *, row_number() OVER (PARTITION BY eventID ORDER BY lakeSource, location) AS copy_no
    FROM checked
    WHERE reason IS NULL AND kind = 'insight'
) AS firsts
WHERE copy_no = 1
