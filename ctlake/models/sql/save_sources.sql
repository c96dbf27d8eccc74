-- The parse cache entries of this refresh ($digests and $tables zip); the caller empties it first.
INSERT INTO model_sources (digest, tables)
SELECT unnest($digests), unnest($tables)
