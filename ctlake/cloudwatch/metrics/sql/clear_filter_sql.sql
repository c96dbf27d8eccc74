-- Forget every cached compilation (the cache is rewritten with the current filters' only).
DELETE FROM metric_filter_sql
