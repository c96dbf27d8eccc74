SELECT run_id, pid, every_s, started_at, finished_at, result, exit_code, summary, error
FROM run_log
ORDER BY run_id DESC
LIMIT 1
