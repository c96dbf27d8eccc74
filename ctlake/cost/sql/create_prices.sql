-- The price table as rows, for `ctlake cost --prices` (filled by insert_price.sql). value
-- is text as people read it: a price in dollars as AWS publishes it ($2.00, $0.005), with
-- its unit beside it ("per 100,000 data events"); a count or a switch as it is.
CREATE OR REPLACE TEMP TABLE cost_prices (
    position INTEGER,
    setting VARCHAR,
    value VARCHAR,
    unit VARCHAR,
    origin VARCHAR
)
