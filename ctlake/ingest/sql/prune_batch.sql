-- Leave in batch_keys only the rows to be stored as events: rows that can be stored, that
-- are API events (Insights records go to aws_insights), each eventID once (CloudTrail
-- sometimes delivers an event twice; the first copy read is kept). Such rows are rare, so
-- deleting them beats copying the rest.
DELETE FROM batch_keys
WHERE reason IS NOT NULL
    OR eventType = 'AwsCloudTrailInsight'
    OR row_no IN (
        SELECT row_no
        FROM (
            SELECT
                row_no,
                row_number() OVER (PARTITION BY eventID ORDER BY row_no) AS copy_no
            FROM batch_keys
            WHERE reason IS NULL
                AND eventID IN (
                    SELECT eventID
                    FROM batch_keys
                    WHERE reason IS NULL
                    GROUP BY 1
                    HAVING count(*) > 1
                )
        ) AS copies
        WHERE copy_no > 1
    );
