-- DuckDB's json_valid(:document) on Spark: whether the text parses as JSON, NULL for NULL.
IF(:document IS NULL, NULL, TRY_PARSE_JSON(:document) IS NOT NULL)
