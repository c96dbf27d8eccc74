SELECT report, last_run_at FROM report_runs
