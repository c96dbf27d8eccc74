"""Crash soak: kill -9 `ctlake run` at random moments, then check the next run is exact.

    python bench/crash_soak.py [--kills 8] [--seed 1] [--days 2] [--scale 0.1] [--work DIR]

The suite kills at every named crash point (tests/lake/test_crash_safety.py,
tests/batch/test_crash.py); this soak looks for what those points might miss. On a
generated trail, a clean `ctlake run` gives the reference (events, quarantine, the rows of
`insight_events`) and how long a run takes; then a second lake is run and killed KILLS
times, each at a random moment within that duration after the interpreter's start-up (so the
kills land in ingest, refresh and delivery), and run once more to the end. Sinks: a
webhook on 127.0.0.1 counting POSTs by Idempotency-Key, a folder, an EventBridge file.

Prints each kill (when, and the last thing the run said before it) and the outcome: every
event stored once, the quarantine and the insights equal to the reference, every insight
delivered to every sink once (a kill between a POST and its record may repeat that POST:
at most one repeat per kill). Exits 0 when all of it holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ctlake.generate import generate_trail
from ctlake.lake import Lake, reader

ROOT = Path(__file__).resolve().parents[1]


class Receiver:
    """A webhook on 127.0.0.1 counting POSTs by Idempotency-Key."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()
        lock, posts = threading.Lock(), self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(0.01)  # a slowish webhook: kills land in deliveries too
                with lock:
                    posts[self.headers.get("Idempotency-Key", "")] += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def config(trail: Path, url: str | None) -> str:
    text = f'[sources]\npaths = ["{trail}"]\n'
    if url:
        text += f'[[sinks.webhook]]\nname = "hook"\nurl = "{url}"\nretries = 0\n'
        text += '[[sinks.folder]]\nname = "s3"\npath = "s3"\n'
        text += '[[sinks.eventbridge]]\nname = "eb"\npath = "eventbridge.jsonl"\n'
    return text


def start(lake_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ctlake", "--lake", str(lake_dir), "run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def snapshot(lake_dir: Path) -> dict[str, Any]:
    con = reader.connect(Lake(lake_dir))
    try:
        events = con.execute("SELECT count(*), count(DISTINCT eventID) FROM events").fetchall()
        return {
            "events": events[0],
            "quarantined": con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0],
            "insights": con.execute("SELECT * FROM insight_events ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


def folder_ids(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*.json.gz"):
        found += [r["eventID"] for r in json.loads(gzip.decompress(path.read_bytes()))["Records"]]
    return sorted(found)


def soak(work: Path, kills: int, seed: int, days: int, scale: float) -> bool:
    trail = work / "trail"
    generate_trail(trail, days=days, scale=scale, seed=seed)
    trail /= "AWSLogs"
    reference_dir = work / "reference"
    reference_dir.mkdir()
    (reference_dir / "ctlake.toml").write_text(config(trail, None))
    began = time.monotonic()
    subprocess.run([sys.executable, "-m", "ctlake", "--help"], capture_output=True, check=True)
    startup = time.monotonic() - began  # kills before this would only hit start-up
    began = time.monotonic()
    start(reference_dir).communicate()
    duration = time.monotonic() - began
    expected = snapshot(reference_dir)
    ids = sorted(row[0] for row in expected["insights"])
    print(
        f"reference: {expected['events'][0]} events, {expected['quarantined']} quarantined, "
        f"{len(ids)} insights; a clean run takes {duration:.1f}s, start-up {startup:.1f}s"
    )

    receiver = Receiver()
    lake_dir = work / "lake"
    lake_dir.mkdir()
    (lake_dir / "ctlake.toml").write_text(config(trail, receiver.url))
    rng = random.Random(seed)
    killed = 0
    for number in range(1, kills + 1):
        delay = rng.uniform(startup, duration)
        process = start(lake_dir)
        time.sleep(delay)
        alive = process.poll() is None
        process.kill()  # SIGKILL: no cleanup of any kind
        _, said = process.communicate()
        last = said.strip().splitlines()[-1] if said.strip() else "(nothing yet)"
        killed += alive
        state = "killed" if alive else f"had finished (exit {process.returncode})"
        print(f"kill {number}: after {delay:.2f}s, {state}; last said: {last[:100]}")

    final = start(lake_dir)
    _, said = final.communicate()
    print(f"final run: exit {final.returncode}: {said.strip().splitlines()[-1][:120]}")
    got = snapshot(lake_dir)
    posts = receiver.posts
    lines = (lake_dir / "eventbridge.jsonl").read_text().splitlines()
    checks = {
        "every event stored once": got["events"] == expected["events"],
        "quarantine exact": got["quarantined"] == expected["quarantined"],
        "insights equal to the clean run's": got["insights"] == expected["insights"],
        "webhook: every insight": sorted(posts) == ids,
        f"webhook: repeats ({sum(posts.values()) - len(posts)}) <= kills ({killed})": sum(
            posts.values()
        )
        - len(posts)
        <= killed,
        "folder: every insight once": folder_ids(lake_dir / "s3") == ids,
        "eventbridge: every insight once": sorted(json.loads(x)["id"] for x in lines) == ids,
    }
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    return all(checks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=8, help="runs killed before the last")
    parser.add_argument("--seed", type=int, default=1, help="trail and kill moments")
    parser.add_argument("--days", type=int, default=2, help="days of generated trail")
    parser.add_argument("--scale", type=float, default=0.1, help="events per minute factor")
    parser.add_argument("--work", type=Path, help="folder to keep (default: a temporary one)")
    args = parser.parse_args()
    if args.work:
        shutil.rmtree(args.work, ignore_errors=True)
        args.work.mkdir(parents=True)
        return 0 if soak(args.work, args.kills, args.seed, args.days, args.scale) else 1
    with tempfile.TemporaryDirectory() as folder:
        return 0 if soak(Path(folder), args.kills, args.seed, args.days, args.scale) else 1


if __name__ == "__main__":
    sys.exit(main())
