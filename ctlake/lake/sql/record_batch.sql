-- An ingest batch, in the catalog transaction that commits it (with record_files.sql).
-- Inputs, registered Arrow tables: `new_batch` (its one row of table batches, but the
-- commit time), `new_ingested_files` (the source files it read), `new_problems` (what it
-- set aside). A source read again (--force, or changed) replaces what its earlier reading
-- recorded.
INSERT INTO batches BY NAME SELECT now()::TIMESTAMP AS committed_at, * FROM new_batch;
DELETE FROM quarantine WHERE source IN (SELECT source FROM new_ingested_files);
DELETE FROM ingested_files WHERE source IN (SELECT source FROM new_ingested_files);
INSERT INTO ingested_files BY NAME SELECT * FROM new_ingested_files;
INSERT INTO quarantine SELECT nextval('quarantine_seq'), * FROM new_problems;
