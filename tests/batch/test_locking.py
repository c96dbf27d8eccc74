"""Two batches on one lake: the second waits up to --wait or exits BUSY; a lock left by a
killed process is taken over; readers keep reading while a batch runs. The tests wait for
what the other process does (holds the lock, opens it), never for a length of time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ctlake.errors import ExitCode
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.batch.conftest import ctlake, env, start, write_config
from tests.conftest import has_open, wait_until

# A sink that holds the first run inside its batch until the test opens the gate.
GATED_SINK = """
[[sinks.command]]
command = ["sh", "-c", "cat > /dev/null; while [ ! -e {gate} ]; do sleep 0.01; done"]
timeout = 120
"""


def wait_for_lock_holder(lake_dir: Path, pid: int) -> None:
    """Until process `pid` holds the write lock (it writes its pid into the lock file)."""
    lock = lake_dir / ".write.lock"
    wait_until(
        lambda: lock.exists() and lock.read_text().strip() == str(pid),
        f"process {pid} holds the write lock",
    )


@pytest.mark.slow
def test_a_second_run_exits_busy_or_waits_for_the_first(tmp_path: Path, trail: Path) -> None:
    lake_dir, gate = tmp_path / "lake", tmp_path / "gate"
    write_config(lake_dir, f'[sources]\npaths = ["{trail}"]\n' + GATED_SINK.format(gate=gate))
    first = start(lake_dir, "-q", "run")
    wait_for_lock_holder(lake_dir, first.pid)

    busy = ctlake(lake_dir, "run")
    assert busy.returncode == ExitCode.BUSY
    assert f"pid {first.pid}" in busy.stderr and "--wait" in busy.stderr

    query = ctlake(lake_dir, "sql", "-c", "SELECT 42 AS answer", "-f", "csv")
    assert query.returncode == 0 and "42" in query.stdout, query.stderr

    waiting = start(lake_dir, "run", "--wait", "60")
    lock = lake_dir / ".write.lock"
    wait_until(lambda: has_open(waiting.pid, lock), "the second run waits for the lock")
    assert first.poll() is None  # still held at the gate: the second run is really waiting
    gate.touch()
    first.communicate(timeout=60)
    _, said = waiting.communicate(timeout=60)
    assert first.returncode in (ExitCode.OK, ExitCode.PARTIAL)
    assert waiting.returncode == ExitCode.OK, said
    assert "0 new files" in said and "0 deliveries" in said


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    write_config(lake_dir, "")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lake_dir)], env=env(), stdout=subprocess.DEVNULL
    )
    wait_for_lock_holder(lake_dir, holder.pid)
    assert ctlake(lake_dir, "run").returncode == ExitCode.BUSY
    holder.kill()  # SIGKILL: the flock dies with the process
    holder.wait()

    after = ctlake(lake_dir, "run")
    assert after.returncode == ExitCode.OK, after.stderr
    assert "run 1:" in after.stderr


HOLD_LOCK = """
import sys, time
from pathlib import Path
from ctlake.lake import Lake
with Lake(Path(sys.argv[1])).write_lock():
    time.sleep(120)
"""


def test_the_write_lock_is_re_entrant_within_a_process(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    with lake.write_lock(), lake.write_lock():  # ingest and refresh inside `ctlake run`
        assert ingest(lake, []).files_read == 0
    with lake.write_lock():  # released for good after the outer block
        pass
