-- Source files already ingested: a file is known by its path, size and content hash.
SELECT source, size, hash FROM ingested_files
