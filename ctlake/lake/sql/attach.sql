-- The lake's catalog attached as database `lake` (made the default by use_lake.sql).
ATTACH $path AS lake (READ_ONLY $read_only)
