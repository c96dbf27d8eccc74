-- Values for the saved queries' parameters, taken from the data so that queries have rows
-- to return: the end of the data (`until`), and for `ip` / `principal` the source IP and
-- principal ARN at the 90th percentile of activity (busy, but not the one service role
-- behind a third of all calls: an investigation, not a dump of the lake).
WITH
ips AS (
    SELECT sourceIPAddress AS value, count(*) AS n FROM events GROUP BY 1
),
principals AS (
    SELECT userIdentity.arn AS value, count(*) AS n
    FROM events
    WHERE userIdentity.arn IS NOT NULL
    GROUP BY 1
)
SELECT
    (SELECT max(eventTime) + INTERVAL 1 SECOND FROM events) AS until,
    (SELECT value FROM ips
     ORDER BY abs(n - (SELECT quantile_disc(n, 0.9) FROM ips)), value LIMIT 1) AS ip,
    (SELECT value FROM principals
     ORDER BY abs(n - (SELECT quantile_disc(n, 0.9) FROM principals)), value LIMIT 1) AS principal,
    (SELECT count(*) FROM events) AS events,
    (SELECT count(DISTINCT eventDate) FROM events) AS days
