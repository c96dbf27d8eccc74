-- The parse cache (see model_state.sql): digest -> JSON array of tables.
SELECT digest, tables FROM model_sources
