/*
kind: view
description: >
  Each account's first and last minute with a counted event. The
  baseline of a minute covers at most the whole days since history_start; an ongoing gap is
  measured up to history_end.
*/
SELECT
    recipientAccountId,
    min(minute) AS history_start,
    max(minute) AS history_end
FROM minute_counts
GROUP BY 1
