-- The in-memory connection that types, dedups and writes batches. Insertion order kept (the
-- default, set so it stays): a partition file keeps the order its rows were handed over in
-- (sorted on the narrow keys), even when DuckDB types its record batches in parallel.
-- The memory limit is bound, and DuckDB binds parameters of the last statement only.
SET TimeZone = 'UTC';
SET enable_progress_bar = false;
SET preserve_insertion_order = true;
SET memory_limit = $memory_limit;
