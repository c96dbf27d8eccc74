-- Profile the next statements as JSON (bench/compile.py reads planner and optimizer times).
PRAGMA enable_profiling = 'json'
