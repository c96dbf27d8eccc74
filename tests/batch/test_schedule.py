"""`ctlake schedule`: a foreground loop that stops cleanly on SIGTERM; cron and systemd."""

from __future__ import annotations

import fcntl
import signal
from datetime import timedelta
from pathlib import Path

import pytest

from ctlake.batch.schedule import cron_line
from ctlake.errors import BadInputError
from ctlake.lake import Lake
from tests.batch.conftest import ctlake, start, write_config
from tests.conftest import wait_until


def test_schedule_stops_cleanly_on_sigterm_in_the_middle_of_a_run(
    tmp_path: Path, trail: Path
) -> None:
    lake_dir = tmp_path / "lake"
    # wait: the test's lock probe below may hold the lock for an instant
    write_config(lake_dir, f'[sources]\npaths = ["{trail}"]\n[schedule]\nwait = 5\n')
    process = start(lake_dir, "-q", "schedule", "--every", "1h")  # one batch, then a long wait
    assert process.stderr is not None
    first = process.stderr.readline()
    assert first.startswith("schedule: running a batch on"), first
    wait_until_a_batch_holds_the_lake(lake_dir)  # so the signal lands inside the batch
    process.send_signal(signal.SIGTERM)
    _out, rest = process.communicate(timeout=60)
    assert process.returncode == 0, rest
    assert "run 1:" in rest and "schedule: stopped by SIGTERM" in rest
    assert "run 2:" not in rest

    status = ctlake(lake_dir, "status")
    assert "last run: #1" in status.stdout
    assert ": stopped (exit" in status.stdout or ": partial (exit" in status.stdout
    after = ctlake(lake_dir, "run")  # the next run finishes what the stopped one skipped
    assert after.returncode == 0, after.stderr
    assert "0 new files" in after.stderr


def wait_until_a_batch_holds_the_lake(lake_dir: Path) -> None:
    wait_until(lambda: lock_is_held(lake_dir), "a batch holds the lake's write lock")


def lock_is_held(lake_dir: Path) -> bool:
    """Probe the lake's write lock (an flock) without taking it for more than an instant."""
    lock = lake_dir / ".write.lock"
    if not lock.exists():
        return False
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def test_schedule_prints_a_crontab_line_and_systemd_units(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    cron = ctlake(lake_dir, "schedule", "--every", "15m", "--print", "cron")
    assert cron.returncode == 0, cron.stderr
    assert cron.stdout.startswith("*/15 * * * * /")
    assert f"--lake {lake_dir} run >> {lake_dir}/run.log 2>&1" in cron.stdout
    systemd = ctlake(lake_dir, "schedule", "--every", "1h", "--print", "systemd")
    assert "OnUnitActiveSec=3600s" in systemd.stdout and "Type=oneshot" in systemd.stdout
    assert f"--lake {lake_dir} run" in systemd.stdout


def test_cron_refuses_an_interval_it_cannot_express(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="divisor of 60"):
        cron_line(Lake(tmp_path), timedelta(minutes=7))
    assert cron_line(Lake(tmp_path), timedelta(days=1)).startswith("0 0 * * * ")
    assert cron_line(Lake(tmp_path), timedelta(hours=6)).startswith("0 */6 * * * ")
