-- The catalog the connection writes the models to (a temporary view shadows one of them).
SELECT current_database()
