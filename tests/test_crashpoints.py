"""Crash points: a kill -9 exactly where a test asks, nothing otherwise; and every point
listed is placed in the code and killed at by a crash test."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from ctlake import crashpoints
from ctlake.crashpoints import ENV, POINTS, crash_point
from ctlake.errors import BadInputError
from tests.batch.test_crash import CASES as RUN_CASES
from tests.cloudwatch.test_alarm_crash import CASES as ALARM_CASES
from tests.conftest import ROOT
from tests.lake.test_crash_safety import CASES as LAKE_CASES
from tests.lake.test_crash_safety import RETENTION_KILL

PASS_TWICE = (
    "from ctlake.crashpoints import crash_point\n"
    "for step in ('one', 'two'):\n"
    "    print(step, flush=True)\n"
    "    crash_point('run.started')\n"
    "print('done', flush=True)\n"
)


def run_with(spec: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if spec is not None:
        env[ENV] = spec
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", PASS_TWICE], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.parametrize(
    ("spec", "printed", "code"),
    [
        (None, "one two done", 0),
        ("run.started", "one", -signal.SIGKILL),
        ("run.started:2", "one two", -signal.SIGKILL),
        ("run.started:3", "one two done", 0),  # never reached a third time
        ("run.finishing", "one two done", 0),  # another point
    ],
)
def test_the_process_is_killed_at_the_nth_time_the_named_point_is_reached(
    spec: str | None, printed: str, code: int
) -> None:
    done = run_with(spec)
    assert (done.stdout.split(), done.returncode) == (printed.split(), code)
    if spec is not None and code:
        point, _, nth = spec.partition(":")
        assert done.stderr == f"crash point {point}:{nth or 1} reached: SIGKILL\n"


@pytest.mark.parametrize("spec", ["no.such.point", "run.started:0", "run.started:x"])
def test_a_crash_point_the_registry_does_not_know_is_one_readable_error(
    spec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, spec)
    monkeypatch.setattr(crashpoints, "_TARGET", crashpoints._parse(spec))
    with pytest.raises(BadInputError, match=rf"^{ENV}='{re.escape(spec)}': expected a crash"):
        crash_point("run.started")


def test_unset_every_point_is_passed_through() -> None:
    assert crashpoints._TARGET is None  # the suite itself never arms one
    for name in POINTS:
        crash_point(name)


def test_every_point_is_placed_in_the_code_once_listed_and_killed_at_by_a_test() -> None:
    placed: set[str] = set()
    for path in (ROOT / "ctlake").rglob("*.py"):
        placed |= set(re.findall(r'crash_point\("([^"]+)"\)', path.read_text()))
    assert placed == set(POINTS)
    killed = {spec.partition(":")[0] for case in LAKE_CASES for spec in case.kills}
    killed |= {case.kill.partition(":")[0] for case in RUN_CASES}
    killed |= {case.kill.partition(":")[0] for case in ALARM_CASES}
    killed.add(RETENTION_KILL)
    assert killed == set(POINTS)
