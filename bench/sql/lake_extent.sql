-- The first minute of data, and how many account-region pairs the lake holds.
SELECT
    min(minute) AS first_minute,
    max(minute) AS last_minute,
    count(DISTINCT recipientAccountId || '/' || awsRegion) AS account_regions
FROM minute_counts
