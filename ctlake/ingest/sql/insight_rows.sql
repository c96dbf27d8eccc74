-- The batch's valid CloudTrail Insights records (eventType AwsCloudTrailInsight), the first
-- copy read of each eventID. They go to aws_insights and are never counted as API events.
SELECT row_no, file_no, eventTime, eventID
FROM (
    SELECT
        row_no,
        file_no,
        eventTime,
        eventID,
        row_number() OVER (PARTITION BY eventID ORDER BY row_no) AS copy_no
    FROM batch_keys
    WHERE reason IS NULL AND eventType = 'AwsCloudTrailInsight'
) AS firsts
WHERE copy_no = 1
ORDER BY row_no
