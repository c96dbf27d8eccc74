"""`ctlake insights export DIR`: the insight records as CloudTrail delivers them to S3.

Layout, as in a trail's bucket:

    DIR/CloudTrail-Insight/<region>/YYYY/MM/DD/
        <acct>_CloudTrail-Insight_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz

each file `{"Records": [...]}`, one file per account, region and 5-minute delivery window
(the window's start is the name's timestamp). The 16 characters are a hash of account,
region and window, not random as on AWS, so exporting again overwrites the same files
instead of adding copies; the gzip header carries no time, so the bytes are the same too.
Each file is written to a temporary name and renamed: a reader (or `ctlake ingest`) never
sees half a file. A file an earlier export wrote for a window that has no insight any more
(the models were tuned, say) is removed; it is recognised by its name's hash, so files AWS
delivered into the same folder (random names) are never touched.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path

import orjson

from ctlake.insights.query import require_insight_tables
from ctlake.insights.records import atomic_write
from ctlake.lake import Lake, reader
from ctlake.resources import read_sql

NAME = re.compile(
    r"(\d{12})_CloudTrail-Insight_([a-z0-9-]+)_(\d{8}T\d{4}Z)_([0-9a-f]{16})\.json\.gz"
)


@dataclass
class ExportSummary:
    files: int = 0
    records: int = 0
    paths: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def export(lake: Lake, out_dir: Path) -> ExportSummary:
    """Write every insight record of `lake` under `out_dir` (see the module docstring)."""
    con = reader.connect(lake)
    try:
        require_insight_tables(con)
        rows = con.execute(read_sql(__file__, "export_records")).fetchall()
    finally:
        con.close()
    summary = ExportSummary()
    for (account, region, delivered), group in groupby(rows, key=lambda r: r[:3]):
        texts = [row[3] for row in group]
        path = out_dir / file_name(account, region, delivered)
        atomic_write(path, _gzip_records(texts))
        summary.files += 1
        summary.records += len(texts)
        summary.paths.append(path)
    summary.removed = _remove_stale(out_dir, set(summary.paths))
    return summary


def file_name(account: str, region: str, delivered: datetime) -> str:
    """The lake-relative path of the delivery file for one account, region and window."""
    stamp = delivered.strftime("%Y%m%dT%H%MZ")
    digest = _digest(account, region, stamp)
    return (
        f"CloudTrail-Insight/{region}/{delivered:%Y/%m/%d}/"
        f"{account}_CloudTrail-Insight_{region}_{stamp}_{digest}.json.gz"
    )


def _digest(account: str, region: str, stamp: str) -> str:
    return hashlib.sha256(f"{account}/{region}/{stamp}".encode()).hexdigest()[:16]


def _remove_stale(out_dir: Path, written: set[Path]) -> list[Path]:
    """Delete the files an earlier export wrote (by their name's hash) and this one did not."""
    removed = []
    for path in sorted((out_dir / "CloudTrail-Insight").glob("*/*/*/*/*.json.gz")):
        match = NAME.fullmatch(path.name)
        if path in written or match is None:
            continue
        account, region, stamp, digest = match.groups()
        if digest == _digest(account, region, stamp):
            path.unlink()
            removed.append(path)
    return removed


def _gzip_records(texts: list[str]) -> bytes:
    body = b'{"Records":[' + b",".join(orjson.dumps(orjson.loads(t)) for t in texts) + b"]}"
    return gzip.compress(body, mtime=0)
