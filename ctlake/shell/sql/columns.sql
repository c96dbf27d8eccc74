-- .schema TABLE: the columns of one table or view, in order, with their types.
SELECT
    column_name AS "column",
    data_type AS "type",
    is_nullable AS "nullable"
FROM information_schema.columns
WHERE table_catalog IN ('lake', 'temp', 'memory')
    AND lower(table_name) = lower($table)
ORDER BY table_catalog, ordinal_position
