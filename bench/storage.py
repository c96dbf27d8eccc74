"""What the data's location costs: a lake on S3 and ingest from a bucket against local files.

One generated trail, uploaded to a local S3 server (moto, a process of its own), goes through
real `ctlake` processes three ways, each into a fresh lake, median of `--repeat`:

- local: `ctlake ingest TRAIL` into a lake folder (the reference);
- lake on S3: the same, with `[lake] data = "s3a://bench/lake-N"` (DuckDB writes and reads
  the Parquet through s3fs);
- from a bucket: `ctlake ingest s3://bench/AWSLogs` into a local lake.

Then `ctlake refresh` and one saved query (`top-api-calls`) on the local lake and on the
lake on S3. Prints each figure's seconds and its ratio to the local one. The S3 server runs
on this machine, so its CPU is in the figures while a real bucket's network round trips
are not: the ratio is the cost of going through fsspec and the S3 protocol, a floor for a
real bucket, not a forecast of one.

Usage: python bench/storage.py [--days 4] [--scale 0.3] [--repeat 3]
The machine is shared and noisy: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import stages

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench-secret-key"}
BUCKET = "bench"


def main() -> int:
    args = _parse_args()
    work = Path(tempfile.mkdtemp(prefix="ctlake-storage-"))
    server, endpoint = _start_server()
    try:
        env = {**os.environ, **CREDENTIALS, "AWS_ENDPOINT_URL": endpoint}
        os.environ.update(env)
        trail = work / "trail"
        stages.in_child(stages.generate, trail, args.days, args.seed, 1, args.scale)
        _upload(trail / "AWSLogs")
        figures = _measure(work, trail, env, args.repeat)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    for name, (seconds, reference) in figures.items():
        print(f"{name}: {seconds:.2f}s, {seconds / reference:.2f}x local")
    return 0


def _start_server() -> tuple[subprocess.Popen[bytes], str]:
    """moto's S3 server, quiet, in a process of its own; and its URL once it listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not _listening(port):
        if time.monotonic() > deadline:
            raise SystemExit("the S3 server did not start in 30s")
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _listening(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex(("127.0.0.1", port)) == 0


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


def _upload(folder: Path) -> None:
    import s3fs

    fs = s3fs.S3FileSystem()
    fs.mkdir(BUCKET)
    fs.put(str(folder), f"{BUCKET}/AWSLogs", recursive=True)


def _measure(
    work: Path, trail: Path, env: dict[str, str], repeat: int
) -> dict[str, tuple[float, float]]:
    """Each figure's median seconds, with its local reference's."""
    source, bucket = str(trail / "AWSLogs"), f"s3://{BUCKET}/AWSLogs"
    runs: dict[str, list[float]] = {}
    for i in range(repeat):
        local, remote, pulled = (work / f"{kind}-{i}" for kind in ("local", "remote", "pulled"))
        remote.mkdir()
        (remote / "ctlake.toml").write_text(f'[lake]\ndata = "s3a://{BUCKET}/lake-{i}"\n')
        steps = {
            "ingest, local": (local, ["ingest", source]),
            "ingest, lake on S3": (remote, ["ingest", source]),
            "ingest from a bucket": (pulled, ["ingest", bucket]),
            "refresh, local": (local, ["refresh"]),
            "refresh, lake on S3": (remote, ["refresh"]),
            "query, local": (local, ["query", "run", "top-api-calls"]),
            "query, lake on S3": (remote, ["query", "run", "top-api-calls"]),
        }
        for name, (lake, command) in steps.items():
            runs.setdefault(name, []).append(_timed(lake, command, env))
    medians = {name: statistics.median(seconds) for name, seconds in runs.items()}
    # each figure against the local one of its step: "ingest ..." against "ingest, local"
    return {
        name: (seconds, medians[f"{name.split()[0].rstrip(',')}, local"])
        for name, seconds in medians.items()
    }


def _timed(lake: Path, command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ctlake", "--lake", str(lake), "-q", *command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode not in (0, 6):  # 6: some input quarantined, as generated trails have
        raise SystemExit(f"ctlake {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return took


if __name__ == "__main__":
    sys.exit(main())
