-- Leave in batch_events only what will be stored: rows that can be stored, that are API
-- events (Insights records go to aws_insights), each eventID once (CloudTrail sometimes
-- delivers an event twice). Such rows are rare, so deleting them beats copying the rest.
DELETE FROM batch_events
WHERE reason IS NOT NULL
    OR eventType = 'AwsCloudTrailInsight'
    OR rowid IN (
        SELECT copy_rowid
        FROM (
            SELECT
                rowid AS copy_rowid,
                row_number() OVER (PARTITION BY eventID ORDER BY lakeSource, location)
                    AS copy_no
            FROM batch_events
            WHERE reason IS NULL
                AND eventID IN (
                    SELECT eventID
                    FROM batch_events
                    WHERE reason IS NULL
                    GROUP BY 1
                    HAVING count(*) > 1
                )
        ) AS copies
        WHERE copy_no > 1
    );
