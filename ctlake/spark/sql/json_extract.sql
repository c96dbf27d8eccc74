-- DuckDB's json_extract(:document, :path) on Spark: the JSON text of the value at :path.
-- Objects and arrays come from GET_JSON_OBJECT, which keeps their keys in the document's
-- order (a VARIANT sorts them); a scalar is written from the VARIANT, where a string keeps
-- its quotes and a JSON null is `null` (GET_JSON_OBJECT gives neither).
CASE
    WHEN SCHEMA_OF_VARIANT(TRY_VARIANT_GET(TRY_PARSE_JSON(:document), :path))
        RLIKE '^(OBJECT|ARRAY)'
        THEN GET_JSON_OBJECT(:document, :path)
    ELSE TO_JSON(TRY_VARIANT_GET(TRY_PARSE_JSON(:document), :path))
END
