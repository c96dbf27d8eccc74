-- Outbox rows by sink and state, for `ctlake status`.
SELECT sink, state, count(*) AS n, min(next_attempt_at) AS next_attempt_at
FROM outbox
GROUP BY 1, 2
ORDER BY 1, 2
