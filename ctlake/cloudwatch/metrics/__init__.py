"""Metric filters on the lake: compiling `[[metrics.filter]]` into the SQL of the model
`metric_points` (`compiled`), and what `ctlake metrics list|show|test|import` read and write
(`points` and `chart`, `testing`, `importing`)."""
