"""CloudWatch Logs Insights queries on the lake: `ctlake sql --dialect logs-insights`.

    to_sql('filter eventName="CreateKey" | stats count(*) by awsRegion')
      -> DuckDB SQL over the `events` view

The query is read by a Lark grammar (`logs_insights.lark`, `syntax`), its field names are
resolved to the lake's columns or the raw record (`fields`), its functions mapped to
DuckDB's (`functions`), and its commands compiled into one SELECT built from sqlglot
expressions (`compiler`). docs/logs-insights.md says what is supported and where the
results can differ from CloudWatch's.
"""

from ctlake.cloudwatch.logs_insights.compiler import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    compile_query,
    to_sql,
)
from ctlake.cloudwatch.logs_insights.errors import LogsInsightsError

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "LogsInsightsError", "compile_query", "to_sql"]
