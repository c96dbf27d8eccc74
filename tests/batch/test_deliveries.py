"""A sink removed from ctlake.toml: `ctlake status` says it is no longer configured while it
has a backlog, and `ctlake deliveries drop NAME` gives that backlog up for good."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctlake.batch import run_batch
from ctlake.batch.status import Status
from ctlake.cli.app import app
from ctlake.delivery import outbox
from ctlake.errors import BadInputError, ExitCode
from ctlake.lake import Lake
from tests.batch.conftest import Receiver, write_config
from tests.batch.test_webhook import free_port

NOW = datetime(2024, 5, 1, 12, 0)


def status_with(deliveries: list[tuple[str, str, int, datetime | None]]) -> Status:
    return Status(
        lake="/lake",
        last_run=None,
        events=0,
        partitions=0,
        files=0,
        quarantined=0,
        insights=0,
        newest_event=None,
        next_run=None,
        deliveries=deliveries,
        sinks={"alerts": "webhook https://h.example/hook?token=***"},
    )


def test_status_names_a_removed_sink_with_a_backlog_and_how_to_drop_it() -> None:
    lines = status_with(
        [
            ("alerts", "delivered", 4, None),
            ("alerts", "dropped", 2, None),
            ("old hook", "failed", 1, None),
            ("old hook", "pending", 12, None),
            ("gone", "delivered", 7, None),  # nothing left to deliver: not worth a line
            ("gone", "dropped", 3, None),
        ]
    ).lines(NOW)
    start = lines.index("deliveries: 12 pending")
    assert lines[start : start + 3] == [
        "deliveries: 12 pending",
        "  alerts webhook https://h.example/hook?token=***: 4 delivered, 2 dropped",
        "  old hook: 12 pending, 1 failed, no longer configured — drop its backlog with "
        "`ctlake deliveries drop 'old hook'`",
    ]
    assert not any("gone" in line for line in lines)


def config(trail: Path, url: str | None) -> str:
    sink = f'[[sinks.webhook]]\nname = "old"\nurl = "{url}"\nretries = 0\n' if url else ""
    return f'[sources]\npaths = ["{trail}"]\n{sink}'


def cli(lake_dir: Path, *args: str) -> tuple[int, str, str, BaseException | None]:
    result = CliRunner().invoke(app, ["--lake", str(lake_dir), *args])
    return result.exit_code, result.stdout, result.stderr, result.exception


@pytest.mark.slow
def test_the_backlog_of_a_removed_sink_is_dropped_for_good(
    tmp_path: Path, trail: Path, receiver: Receiver
) -> None:
    lake_dir = tmp_path / "lake"
    write_config(lake_dir, config(trail, f"http://127.0.0.1:{free_port()}/hook"))  # down
    delivery = run_batch(Lake(lake_dir)).delivery
    assert delivery is not None and delivery.deferred > 0 and delivery.delivered == 0
    backlog = delivery.deferred

    write_config(lake_dir, config(trail, None))  # the sink is removed
    _code, stdout, _err, _exc = cli(lake_dir, "status")
    assert (
        f"  old: {backlog} pending, no longer configured — drop its backlog with "
        "`ctlake deliveries drop old`\n"
    ) in stdout

    code, stdout, stderr, _exc = cli(lake_dir, "deliveries", "drop", "old")
    assert (code, stdout) == (0, "")
    assert stderr == f"deliveries: dropped {backlog} pending deliveries of 'old'\n"
    assert "old" not in cli(lake_dir, "status")[1].split("deliveries:")[1]
    _code, _out, _err, again = cli(lake_dir, "deliveries", "drop", "old")
    assert isinstance(again, BadInputError)
    assert str(again) == (
        "sink 'old' has no pending or failed deliveries: `ctlake status` lists the sinks "
        "with a backlog"
    )

    write_config(lake_dir, config(trail, receiver.url))  # back under the same name
    delivery = run_batch(Lake(lake_dir)).delivery
    assert delivery is not None and delivery.delivered == 0 and not receiver.seen


@pytest.mark.slow
def test_a_run_that_leaves_deliveries_waiting_for_a_retry_is_partial(
    tmp_path: Path, trail: Path
) -> None:
    lake_dir = tmp_path / "lake"
    write_config(lake_dir, config(trail, f"http://127.0.0.1:{free_port()}/hook"))  # down
    first = run_batch(Lake(lake_dir))
    assert first.delivery is not None and first.delivery.deferred > 0
    owed = first.delivery.pending
    with Lake(lake_dir).catalog() as catalog:  # as after repeated failures: back off an hour
        later = outbox.now() + timedelta(hours=1)
        catalog.execute(
            "UPDATE outbox SET next_attempt_at = $later WHERE state = 'pending'", {"later": later}
        )
    again = run_batch(Lake(lake_dir))  # nothing is due: every delivery waits for its retry
    assert again.delivery is not None
    assert (again.delivery.deferred, again.delivery.waiting) == (0, owed)
    assert again.exit_code == ExitCode.PARTIAL
    assert f"({owed} pending, 0 failed)" in again.delivery.line()
