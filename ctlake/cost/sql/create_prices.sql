-- The price table as rows, for `ctlake cost --prices` (filled by insert_price.sql).
CREATE OR REPLACE TEMP TABLE cost_prices (
    position INTEGER,
    setting VARCHAR,
    value VARCHAR,
    origin VARCHAR
)
