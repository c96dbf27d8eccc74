"""CloudWatch on the lake: Logs Insights queries, metric-filter patterns, metrics and alarms,
each translated to SQL over `events` (see the subpackages)."""
