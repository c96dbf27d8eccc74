"""The lake: a DuckDB catalog and Hive-partitioned Parquet files of CloudTrail events."""

from ctlake.lake.layout import Lake

__all__ = ["Lake"]
