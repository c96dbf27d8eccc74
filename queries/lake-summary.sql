/*
description: >-
  What the lake holds: events, time span, days, accounts, regions, services and
  identities.
tags: [lake, activity]
*/
WITH slices AS (
    SELECT
        eventDate,
        recipientAccountId,
        awsRegion,
        eventSource,
        userIdentity.arn AS identity,
        count(*) AS events,
        min(eventTime) AS firstEvent,
        max(eventTime) AS lastEvent
    FROM events
    GROUP BY 1, 2, 3, 4, 5
)
SELECT
    coalesce(CAST(sum(events) AS BIGINT), 0) AS events,
    min(firstEvent) AS firstEvent,
    max(lastEvent) AS lastEvent,
    count(DISTINCT eventDate) AS days,
    count(DISTINCT recipientAccountId) AS accounts,
    count(DISTINCT awsRegion) AS regions,
    count(DISTINCT eventSource) AS services,
    count(DISTINCT identity) AS identities
FROM slices
