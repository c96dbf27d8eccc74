"""Seeing the insights the models found, as CloudTrail shows them.

The models (`sql/`, run by `ctlake.models`) write three catalog tables: `insight_events`
(CloudTrail Insights records, Start and End), `insight_attributions` and `minute_counts`.
This package only reads them: `query` selects records by filter, `records` renders them as
CloudTrail JSON, `export` writes them in S3's delivery layout, `show` builds the console's
detail page, `chart` draws the Insights graph, and `evaluate` scores insights against the
labelled anomalies of a generated trail (for `ctlake demo` and `bench/detect.py`).
"""
