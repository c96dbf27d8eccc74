-- Every live event file, lake-relative.
SELECT path FROM lake_files ORDER BY path
