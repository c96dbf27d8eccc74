"""CloudWatch on the lake: Logs Insights queries (`logs_insights`), filter patterns
(`patterns`), metric filters (`metrics`) and alarms (`alarms`), run on the lake's events."""
