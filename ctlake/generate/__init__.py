"""A realistic synthetic CloudTrail trail with labelled anomalies (`ctlake generate`).

`generate_trail(out, days=14, seed=0, ...)` writes an S3 delivery tree of gzipped
`{"Records": [...]}` files, digest files, a few broken files, and `labels.json` naming the
injected anomalies, the normal patterns and exact totals. Modules, in the order data
flows: `actor` and `principals` (who calls, from which clients), `catalog` (a stream's
resources and generator), `apis`, `builders` and `builders_infra` (what each API logs),
`workload` and `traffic` (rhythm, background load, periodic jobs), `anomalies` (what is
injected, where), `records` (rendering), `stream` (delivery windows, late and duplicate
delivery), `writer` and `broken` (files), `labels` (labels.json), `trail` (the entry point).
"""

from ctlake.generate.trail import GenerateSummary, generate_trail

__all__ = ["GenerateSummary", "generate_trail"]
