-- One quarantined item by id.
SELECT source, location, reason, raw
FROM quarantine
WHERE id = $id
