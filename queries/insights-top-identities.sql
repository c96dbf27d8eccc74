/*
description: >-
  The identities most often named among the top contributors of insights (table
  insight_attributions, built by `ctlake refresh`).
tags: [insights, identity]
parameters:
  limit:
    type: integer
    default: 10
    description: How many identities to list
  days:
    type: integer
    default: 30
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
SELECT
    a.value AS userIdentityArn,
    count(DISTINCT e.sharedEventID) AS insights,
    count(DISTINCT e.eventSource || ' ' || e.eventName) AS apis,
    max(a.average) AS peakAveragePerMinute,
    min(e.insightStart) AS firstInsight,
    max(e.insightStart) AS lastInsight
FROM insight_events AS e
JOIN insight_attributions AS a ON a.sharedEventID = e.sharedEventID
WHERE e.state = 'Start'
    AND a.attribute = 'userIdentityArn'
    AND a.scope = 'insight'
    AND a.rank <= 5
    AND e.eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND e.eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1
ORDER BY insights DESC, peakAveragePerMinute DESC, userIdentityArn
LIMIT $limit
