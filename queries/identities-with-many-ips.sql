/*
description: >-
  Identities whose calls came from at least `min_ips` distinct source IP addresses:
  shared or stolen credentials.
tags: [identity, network, security]
parameters:
  min_ips:
    type: integer
    default: 3
    description: List identities seen from at least this many addresses
  days:
    type: integer
    default: 7
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
WITH per_address AS (
    SELECT userIdentity.arn AS identity, sourceIPAddress, count(*) AS calls
    FROM events
    WHERE userIdentity.arn IS NOT NULL
        AND userIdentity.type IN ('IAMUser', 'Root', 'AssumedRole', 'FederatedUser')
        AND sourceIPAddress NOT LIKE '%.amazonaws.com'
        AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
    GROUP BY 1, 2
)
SELECT
    identity,
    count(*) AS sourceIPs,
    CAST(sum(calls) AS BIGINT) AS calls,
    string_agg(sourceIPAddress, ', ' ORDER BY sourceIPAddress) AS addresses
FROM per_address
GROUP BY 1
HAVING count(*) >= $min_ips
ORDER BY sourceIPs DESC, calls DESC, identity
