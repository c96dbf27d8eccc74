-- Names the shell completes: every table and view, and each of their columns.
SELECT DISTINCT table_name, column_name
FROM information_schema.columns
WHERE table_catalog IN ('lake', 'temp', 'memory')
ORDER BY 1, 2
