INSERT INTO insight_attributions VALUES ($1, $2, $3, $4, $5, $6)
