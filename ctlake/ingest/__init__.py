"""Ingest: CloudTrail files in, lake batches out (see `pipeline.ingest`)."""

from ctlake.ingest.pipeline import IngestSummary, ingest

__all__ = ["IngestSummary", "ingest"]
