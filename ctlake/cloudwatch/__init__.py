"""CloudWatch on the lake: Logs Insights queries (`logs_insights`), metric filter patterns
(`patterns`), metric filters and their per-minute metrics (`metrics`), and metric alarms
(`alarms`)."""
