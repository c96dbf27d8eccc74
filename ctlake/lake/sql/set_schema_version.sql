INSERT OR REPLACE INTO lake_meta VALUES ($key, $schema)
