INSERT OR REPLACE INTO report_runs (report, last_run_at, last_file)
VALUES ($report, CAST($ran_at AS TIMESTAMP), $file)
