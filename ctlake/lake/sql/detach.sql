-- Let go of the catalog file; the in-memory database stays the connection's.
USE memory;
DETACH lake;
