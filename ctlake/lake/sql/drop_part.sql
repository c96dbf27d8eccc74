-- The view upgrade_part.sql made, and typed_part over it (write_events.sql).
DROP VIEW typed_part;
DROP VIEW part;
