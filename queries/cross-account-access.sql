/*
description: Calls where the caller's account differs from the account that received the call.
tags: [identity, organizations, security]
parameters:
  days:
    type: integer
    default: 7
    description: Length of the window in days, ending at `until`
  until:
    type: timestamp
    default: now
    description: End of the window (exclusive, UTC); set it to report on old logs
*/
SELECT
    userIdentity.accountId AS callerAccountId,
    recipientAccountId,
    coalesce(userIdentity.arn, userIdentity.principalId) AS identity,
    eventSource,
    eventName,
    count(*) AS calls,
    min(eventTime) AS firstSeen,
    max(eventTime) AS lastSeen
FROM events
WHERE userIdentity.accountId IS NOT NULL
    AND userIdentity.accountId <> recipientAccountId
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2, 3, 4, 5
ORDER BY calls DESC, callerAccountId, recipientAccountId, identity, eventSource, eventName
