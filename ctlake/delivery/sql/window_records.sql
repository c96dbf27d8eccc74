-- Every known insight record of one account, region and 5-minute delivery window: the
-- content of that window's file in a folder sink, so rewriting it never loses a record.
SELECT eventJson
FROM delivery_events
WHERE kind = 'insight'
    AND recipientAccountId = $account
    AND awsRegion = $region
    AND eventTime >= CAST($window AS TIMESTAMP)
    AND eventTime < CAST($window AS TIMESTAMP) + INTERVAL 5 MINUTE
ORDER BY eventTime, state = 'End', eventID
