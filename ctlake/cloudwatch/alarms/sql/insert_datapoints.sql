INSERT INTO alarm_datapoints
SELECT $name, unnest(CAST($starts AS TIMESTAMP[])), unnest(CAST($values AS DOUBLE[]))
