"""The CIS pack's filter patterns as SQL: what the fifteen predicates cost on the bench lake.

1. The bench lake: a 21-day trail of 2 accounts (seed 1) with at least 750k events, as
   `refresh.py` makes it (the scale is calibrated on a three-day trail), ingested; or an
   existing lake given with --lake (e.g. /tmp/rb/x1/lake after `refresh.py --work /tmp/rb`).
2. Interleaved (so that a neighbour's load falls on all three alike), medians:
   - patterns: one query counting, for each of the 15 CIS filters, the events its compiled
     predicate matches (`count(*) FILTER (WHERE ...)`, fifteen aggregates, one scan);
   - scan: the same query shape reading what the predicates read with no predicate work
     (`count(...)` of each column, struct field or map key they name): the floor of any
     query over those fields;
   - full build: a full refresh of the insight models on a fresh copy of the lake (the
     figure issue 13's target is set against), in its own process.
   Each round runs the three once; --repeat rounds.
3. Compiling the fifteen patterns to DuckDB SQL in a fresh process (the grammar is built
   once a process, so this is what each refresh pays), median of --repeat.
Targets: patterns <= 0.5 x full build (issue 13); patterns / scan printed as the
compiler's own cost (what the predicates add to reading their columns).

Usage: python bench/patterns.py [--lake DIR | --work DIR [--reuse]] [--repeat 5]
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import duckdb
import stages
from sqlglot import exp

from ctlake.cloudwatch.patterns import compile_pattern
from ctlake.lake import Lake, reader
from ctlake.resources import cis_pack

FULL_BUILD_SHARE = 0.5  # issue 13: the CIS filters cost at most half a full insights build


def main() -> int:
    args = _parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ctlake-patterns-"))
    try:
        lake = Lake(Path(args.lake)) if args.lake else _bench_lake(work, args)
        patterns, scan, build, events = _rounds(lake, work, args.repeat)
        compiling = [stages.in_child(compile_cis).seconds for _ in range(args.repeat)]
    finally:
        if not args.work and not args.lake:
            shutil.rmtree(work, ignore_errors=True)
    return _report(events, patterns, scan, build, compiling)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lake", help="an existing lake to measure (copied for each full build)")
    parser.add_argument("--work", help="folder for the trail and lake (kept); default: temporary")
    parser.add_argument("--reuse", action="store_true", help="with --work: reuse its lake")
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--accounts", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-events", type=int, default=750_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the three timings")
    return parser.parse_args()


def _bench_lake(work: Path, args: argparse.Namespace) -> Lake:
    """The bench lake in `work/lake`, generated and ingested unless --reuse finds it."""
    lake = Lake(work / "lake")
    if args.reuse and (lake.root / "catalog.duckdb").exists():
        return lake
    shutil.rmtree(lake.root, ignore_errors=True)
    trail = work / "trail"
    if not (args.reuse and (trail / "labels.json").is_file()):
        shutil.rmtree(trail, ignore_errors=True)
        scale = _calibrate(work / "calibrate", args)
        stages.in_child(stages.generate, trail, args.days, args.seed, args.accounts, scale)
    stages.in_child(stages.ingest, lake.root, [str(trail / "AWSLogs")])
    return lake


def _calibrate(folder: Path, args: argparse.Namespace) -> float:
    """The generator scale that gives at least --min-events over --days (as refresh.py)."""
    days = 3
    events = stages.in_child(stages.generate, folder, days, args.seed, args.accounts, 1.0).value
    shutil.rmtree(folder, ignore_errors=True)
    wanted = args.min_events * 1.1 / (max(events / days, 1) * args.days)
    return max(1.0, math.ceil(wanted * 10) / 10)


def cis_predicates() -> list[exp.Expr]:
    """The compiled predicate of each filter of the CIS pack."""
    filters = tomllib.loads(cis_pack())["metrics"]["filter"]
    return [compile_pattern(f["pattern"]) for f in filters]


def compile_cis() -> int:
    """Compile the CIS pack's patterns to DuckDB SQL; how many."""
    return len([p.sql("duckdb") for p in cis_predicates()])


def queries() -> tuple[str, str]:
    """The patterns query and the scan of the same columns, as DuckDB SQL."""
    predicates = cis_predicates()
    counts = [
        exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=p))
        for p in predicates
    ]
    read = {value.sql("duckdb"): value for p in predicates for value in _values_read(p)}
    reads = [exp.Count(this=read[key].copy()) for key in sorted(read)]
    patterns = exp.select(*counts, copy=False).from_("events", copy=False)
    scan = exp.select(*reads, copy=False).from_("events", copy=False)
    return patterns.sql("duckdb"), scan.sql("duckdb")


def _values_read(predicate: exp.Expr) -> list[exp.Expr]:
    """What `predicate` reads from a row: each column, with the struct field, list element
    or map key taken of it (DuckDB reads only the struct fields a query names)."""
    values = []
    for column in predicate.find_all(exp.Column):
        node: exp.Expr = column
        while _takes_part_of(node.parent, node):
            assert node.parent is not None
            node = node.parent
        values.append(node)
    return values


def _takes_part_of(parent: exp.Expr | None, node: exp.Expr) -> bool:
    if isinstance(parent, exp.Bracket):
        return parent.this is node
    if isinstance(parent, exp.Anonymous) and parent.name.lower() in (
        "struct_extract",
        "list_extract",
    ):
        return parent.expressions[0] is node
    return False


def _rounds(
    lake: Lake, work: Path, repeat: int
) -> tuple[list[float], list[float], list[float], int]:
    """Seconds of each run of the patterns query, the scan and the full build, round by
    round; and the events the lake holds."""
    patterns_sql, scan_sql = queries()
    events = stages.stored_events(lake)
    runs: tuple[list[float], list[float], list[float]] = ([], [], [])
    for _ in range(repeat):
        con = reader.connect(lake)
        try:
            con.execute(scan_sql).fetchall()  # warm: file metadata and the OS cache
            runs[0].append(_seconds(con, patterns_sql))
            runs[1].append(_seconds(con, scan_sql))
            matched = con.execute(patterns_sql).fetchall()[0]
        finally:
            con.close()
        runs[2].append(_full_build(lake, work))
    print(f"matches per CIS filter: {list(matched)}", file=sys.stderr)
    return (*runs, events)


def _seconds(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    started = time.perf_counter()
    con.execute(sql).fetchall()
    return time.perf_counter() - started


def _full_build(lake: Lake, work: Path) -> float:
    """A full refresh of the lake's models, on a fresh copy of the lake."""
    trial = work / "lake-trial"
    shutil.rmtree(trial, ignore_errors=True)
    shutil.copytree(lake.root, trial)
    seconds = stages.in_child(stages.refresh, trial, True).seconds
    shutil.rmtree(trial, ignore_errors=True)
    return seconds


def _report(
    events: int,
    patterns: list[float],
    scan: list[float],
    build: list[float],
    compiling: list[float],
) -> int:
    p, s, b, c = (statistics.median(runs) for runs in (patterns, scan, build, compiling))
    share = p / b
    rows = [
        ("events in the lake", f"{events:,}", ">= 750,000", events >= 750_000),
        ("15 CIS patterns, one query (s)", f"{p:.3f}", "-", True),
        ("scan of their columns (s)", f"{s:.3f}", "-", True),
        ("patterns / scan", f"{p / s:.2f}", "-", True),
        ("full insights build (s)", f"{b:.2f}", "-", True),
        ("patterns / full build", f"{share:.1%}", f"<= {FULL_BUILD_SHARE:.0%}",
         share <= FULL_BUILD_SHARE),
        ("compiling the 15, fresh process (s)", f"{c:.3f}", "-", True),
    ]  # fmt: skip
    print(f"{'figure':<34} {'measured':<12} {'target':<12} ok")
    for name, measured, target, ok in rows:
        print(f"{name:<34} {measured:<12} {target:<12} {'yes' if ok else 'NO'}")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
