"""SQL dialects ctlake accepts besides DuckDB's own: CloudTrail Lake (Trino). See `lake`."""

from ctlake.dialect.errors import LakeDialectError
from ctlake.dialect.lake import to_duckdb

__all__ = ["LakeDialectError", "to_duckdb"]
