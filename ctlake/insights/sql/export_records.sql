-- Every insight record for `ctlake insights export`, grouped by the delivery file it goes
-- to: account, region and the 5-minute window of its eventTime (CloudTrail delivers about
-- every five minutes).
SELECT
    recipientAccountId,
    awsRegion,
    time_bucket(INTERVAL 5 MINUTE, eventTime) AS delivered,
    eventJson
FROM insight_events
ORDER BY 1, 2, 3, eventTime, CASE state WHEN 'Start' THEN 0 ELSE 1 END, eventID
