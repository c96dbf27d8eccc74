-- What one sink has not received: its pending and failed outbox rows, by state.
SELECT state, count(*) AS n
FROM outbox
WHERE sink = $sink
    AND state IN ('pending', 'failed')
GROUP BY 1
ORDER BY 1 DESC
