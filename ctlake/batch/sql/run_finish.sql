UPDATE run_log
SET finished_at = CAST($now AS TIMESTAMP),
    result = $result,
    exit_code = $exit_code,
    summary = $summary,
    error = $error
WHERE run_id = $run_id
