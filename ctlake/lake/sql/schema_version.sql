-- The schema every event file has (see ctlake/lake/upgrade.py), if recorded.
SELECT value FROM lake_meta WHERE key = $key
