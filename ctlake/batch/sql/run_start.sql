-- A run begins: runs still 'running' belonged to a process that died (this one holds the
-- write lock now), so they are marked killed.
UPDATE run_log SET result = 'killed' WHERE result = 'running';
INSERT INTO run_log (run_id, pid, every_s, started_at, result)
VALUES (nextval('run_seq'), $pid, $every_s, CAST($now AS TIMESTAMP), 'running')
RETURNING run_id;
