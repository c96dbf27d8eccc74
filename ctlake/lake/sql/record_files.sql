-- The live-file list after a transaction, and the moves it still has to make. Inputs,
-- registered Arrow tables: `replaced_files(path)` leave the list, `new_lake_files` enter
-- it (a path may do both: a file re-typed in place), `new_pending_moves` are recorded.
DELETE FROM lake_files WHERE path IN (SELECT path FROM replaced_files);
INSERT INTO lake_files BY NAME SELECT * FROM new_lake_files;
INSERT INTO pending_moves BY NAME SELECT * FROM new_pending_moves;
