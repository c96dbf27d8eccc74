/*
description: >-
  Calls made over TLS 1.0 or 1.1, by service, caller address and account: clients to
  upgrade.
tags: [network, compliance]
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
    eventSource,
    tlsDetails.tlsVersion AS tlsVersion,
    sourceIPAddress,
    recipientAccountId AS accountId,
    count(*) AS calls
FROM events
WHERE tlsDetails.tlsVersion IN ('TLSv1', 'TLSv1.1')
    AND eventTime >= CAST($until AS TIMESTAMP) - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND eventTime < CAST($until AS TIMESTAMP)
GROUP BY 1, 2, 3, 4
ORDER BY calls DESC, eventSource, tlsVersion, sourceIPAddress, accountId
