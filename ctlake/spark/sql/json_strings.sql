-- DuckDB's json_extract_string(:document, '...[*]') on Spark: the items of the array at
-- :path as text, an empty list where there is no array there, NULL for NULL.
IF(
    :document IS NULL,
    NULL,
    COALESCE(TRY_VARIANT_GET(TRY_PARSE_JSON(:document), :path, 'ARRAY<STRING>'), ARRAY())
)
