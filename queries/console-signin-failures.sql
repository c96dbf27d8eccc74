/*
description: >-
  Failed AWS console sign-ins counted by source IP, reason, region, identity and whether
  MFA was used: brute force and bots stand out.
tags: [signin, security]
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
    sourceIPAddress,
    errorMessage AS reason,
    awsRegion,
    coalesce(userIdentity.arn, userIdentity.userName) AS identity,
    additionalEventData['MFAUsed'] AS mfaUsed,
    count(*) AS failures,
    min(eventTime) AS firstSeen,
    max(eventTime) AS lastSeen
FROM events
WHERE eventSource = 'signin.amazonaws.com'
    AND eventName = 'ConsoleLogin'
    AND responseElements['ConsoleLogin'] = 'Failure'
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2, 3, 4, 5
ORDER BY failures DESC, sourceIPAddress, reason, awsRegion, identity, mfaUsed
