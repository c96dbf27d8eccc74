INSERT INTO minute_counts VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMP), $8)
