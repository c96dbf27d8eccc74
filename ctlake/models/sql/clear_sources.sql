-- Empty the parse cache before save_sources.sql writes this refresh's entries.
DELETE FROM model_sources
