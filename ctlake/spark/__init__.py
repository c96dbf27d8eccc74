"""Apache Spark as ctlake's engine (`--engine spark`): the same lake folder, the same
models and queries, run by a SparkSession from `local[*]` to a cluster.

Nothing here is imported unless Spark is asked for: PySpark and a Java runtime are an
optional install (`pip install 'ctlake[spark]'`). `session.py` makes the one session a
process uses; the DuckDB catalog (manifest, model state, outbox) stays on the driver.
"""
