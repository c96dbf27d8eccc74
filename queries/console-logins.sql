/*
description: >-
  Console sign-ins per identity: successes, failures, MFA use and source addresses.
tags: [signin, identity]
parameters:
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
    coalesce(userIdentity.arn, userIdentity.userName) AS identity,
    userIdentity.type AS identityType,
    count(*) FILTER (WHERE responseElements['ConsoleLogin'] = 'Success') AS successes,
    count(*) FILTER (WHERE responseElements['ConsoleLogin'] = 'Failure') AS failures,
    count(*) FILTER (WHERE additionalEventData['MFAUsed'] = 'Yes') AS withMfa,
    count(DISTINCT sourceIPAddress) AS sourceIPs,
    max(eventTime) AS lastLogin
FROM events
WHERE eventSource = 'signin.amazonaws.com'
    AND eventName = 'ConsoleLogin'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2
ORDER BY successes + failures DESC, identity, identityType
