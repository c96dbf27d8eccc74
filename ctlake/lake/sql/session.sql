-- Every connection ctlake opens: timestamps in UTC (CloudTrail's), and no progress bar,
-- since stdout carries data only.
SET TimeZone = 'UTC';
SET enable_progress_bar = false;
