"""Retention: event partitions older than `retention.days` are removed, whole.

As an event data store's retention period does, events leave the lake by date: every
partition `eventDate < today - days` goes. The removal uses the lake's commit protocol
(`ctlake.lake.commit.remove_files`): one catalog transaction drops the files from
`lake_files` and records them in `pending_moves`; then the files are deleted and the moves
forgotten. A kill after the transaction is finished by the next writer's `store.recover`;
a kill before it leaves the lake as it was. Readers never see a partition half gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ctlake.lake import Lake, commit
from ctlake.resources import read_sql


@dataclass
class RetentionSummary:
    partitions: int = 0
    files: int = 0

    def line(self) -> str:
        return f"{self.partitions} partitions ({self.files} files) past retention removed"


def apply_retention(lake: Lake, days: int | None, today: date) -> RetentionSummary:
    """Remove partitions older than `days` before `today`; call under the write lock."""
    summary = RetentionSummary()
    if days is None or not lake.exists():
        return summary
    cutoff = today - timedelta(days=days)
    with lake.catalog() as catalog:
        rows = catalog.execute(
            read_sql(__file__, "expired_partitions"), {"cutoff": cutoff}
        ).fetchall()
        if not rows:
            return summary
        paths = [path for _date, path in rows]
        commit.remove_files(lake, catalog, paths)
    dates = sorted({d for d, _path in rows})
    for event_date in dates:
        lake.files.remove_empty_folder(f"events/eventDate={event_date}")
    summary.partitions, summary.files = len(dates), len(paths)
    return summary
