"""A kill at any moment leaves a lake that the same command, run again, completes exactly."""

from __future__ import annotations

import gzip
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from ctlake.ingest import ingest
from ctlake.lake import Lake, reader, store
from tests.conftest import make_record

FILES, PER_FILE, DUPLICATE_EVERY, BAD_EVERY = 400, 100, 7, 50


def write_trail(folder: Path) -> tuple[int, int]:
    """Files with cross-file duplicates and bad records; returns (unique events, bad)."""
    unique, bad = set(), 0
    for f in range(FILES):
        records: list[object] = []
        for i in range(PER_FILE):
            n = f * PER_FILE + i
            if n % BAD_EVERY == 0:
                records.append({"eventID": f"bad-{n}"})  # no eventTime: quarantined
                bad += 1
                continue
            if n % DUPLICATE_EVERY == 0 and n >= PER_FILE:
                n -= PER_FILE  # the same event again, one file later
            day = 1 + n % 3  # three partitions
            when = f"2024-05-0{day}T{n % 24:02d}:{n % 60:02d}:00Z"
            records.append(make_record(n, eventTime=when))
            unique.add(n)
        path = folder / f"f{f:04d}.json.gz"
        path.write_bytes(gzip.compress(orjson.dumps({"Records": records})))
    return len(unique), bad


def start_ingest(lake_dir: Path, trail: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "ctlake",
        "--lake",
        str(lake_dir),
        "-q",
        "ingest",
        str(trail),
        "--batch-mb",
        "1",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def test_sigkill_at_random_moments_then_rerun_gives_exact_counts(tmp_path: Path) -> None:
    trail, lake_dir = tmp_path / "trail", tmp_path / "lake"
    trail.mkdir()
    unique, bad = write_trail(trail)
    rng = random.Random(20261121)
    kills = 0
    for _ in range(6):
        process = start_ingest(lake_dir, trail)
        time.sleep(rng.uniform(0.6, 2.5))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.communicate()
    final = start_ingest(lake_dir, trail)
    _, stderr = final.communicate(timeout=300)
    assert final.returncode in (0, 6), stderr.decode()
    assert kills >= 2, "the ingest finished before it could be killed: make the trail larger"

    lake = Lake(lake_dir)
    con = reader.connect(lake)
    counts = con.execute("SELECT count(*), count(DISTINCT eventID) FROM events").fetchall()
    stored, distinct = counts[0]
    assert (stored, distinct) == (unique, unique)
    assert con.execute("SELECT count(*) FROM quarantine").fetchall() == [(bad,)]
    assert con.execute("SELECT count(*) FROM pending_moves").fetchall() == [(0,)]
    listed = {p for (p,) in con.execute("SELECT path FROM lake_files").fetchall()}
    on_disk = {str(p.relative_to(lake_dir)) for p in lake_dir.glob("events/*/*.parquet")}
    assert listed == on_disk
    assert not list(lake_dir.glob("events/**/*.tmp"))


def test_a_crash_between_commit_and_file_moves_is_rolled_forward(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trail, lake = tmp_path / "trail", Lake(tmp_path / "lake")
    trail.mkdir()
    (trail / "a.json").write_bytes(orjson.dumps({"Records": [make_record(n) for n in range(5)]}))

    def crash(_lake: Lake, moves: list[store.FileMove]) -> None:
        if moves:  # recovery at start-up calls it with nothing to move
            raise KeyboardInterrupt("killed after the catalog commit")

    monkeypatch.setattr(store, "apply_moves", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest(lake, [str(trail)])
    assert list(lake.root.glob("events/*/*.parquet.tmp"))  # committed, not yet published
    monkeypatch.undo()

    summary = ingest(lake, [str(trail)])  # recovers first, then finds the file ingested
    assert (summary.files_skipped, summary.records) == (1, 0)
    con = reader.connect(lake)
    assert con.execute("SELECT count(*) FROM events").fetchall() == [(5,)]
    assert not list(lake.root.glob("events/*/*.tmp"))
