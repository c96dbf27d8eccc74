"""`ctlake demo`'s alarm: its configuration loads, it finds the brute force on a trail with
one, and the report names the labelled anomaly each ALARM falls in."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from ctlake.batch.run import run_batch
from ctlake.cloudwatch.alarms.history import StateChange, state_changes
from ctlake.config import load
from ctlake.demo import DEMO_CONFIG, DemoResult, report
from ctlake.insights.evaluate import evaluate, load_labels
from ctlake.lake import Lake
from tests.insights.test_evaluate import labels_file
from tests.insights.trail import Trail, day


def test_the_demo_alarm_fires_on_a_brute_force_of_failed_sign_ins(tmp_path: Path) -> None:
    trail = Trail()
    trail.every(day(0), day(0) + timedelta(hours=2), minutes=5, name="DescribeInstances")
    start = day(0) + timedelta(hours=1)
    trail.burst(start, 20, minutes=10, source="signin.amazonaws.com", name="ConsoleLogin")
    for record in trail.records[-20:]:
        record["errorMessage"] = "Failed authentication"
    trail.call(day(0) + timedelta(minutes=20), source="signin.amazonaws.com", name="ConsoleLogin")
    trail.records[-1]["errorMessage"] = "Failed authentication"  # one failure: no alarm
    trail.write(tmp_path / "trail" / "t.json", trail.records)
    lake = Lake(tmp_path / "lake")
    lake.root.mkdir()
    text = DEMO_CONFIG.read_text() + f'\n[sources]\npaths = ["{tmp_path / "trail"}"]\n'
    (lake.root / "ctlake.toml").write_text(text)
    assert [a.name for a in load(lake.root).alarms.alarms] == ["ConsoleSignInFailures"]
    run_batch(lake)
    fired = [c.timestamp for c in state_changes(lake) if c.new_state == "ALARM"]
    assert fired == [start + timedelta(minutes=5)]


def test_the_report_names_the_anomaly_each_alarm_fired_during(tmp_path: Path) -> None:
    labels, _ = load_labels(labels_file(tmp_path))
    changes = [
        StateChange("ConsoleSignInFailures", datetime(2024, 5, 4, 2, 5), "OK", "ALARM", "why"),
        StateChange("ConsoleSignInFailures", datetime(2024, 5, 4, 2, 30), "ALARM", "OK", "-"),
        StateChange("ConsoleSignInFailures", datetime(2024, 5, 9), "OK", "ALARM", "stray"),
    ]
    result = DemoResult(
        tmp_path, Lake(tmp_path / "lake"), 1000, evaluate(labels, []), {}, changes, labels
    )
    lines = report(result)
    assert "CloudWatch alarms: 2 went to ALARM." in lines
    assert (
        "ALARM   ConsoleSignInFailures at 2024-05-04T02:05Z during console-bruteforce: why"
    ) in lines
    assert "ALARM   ConsoleSignInFailures at 2024-05-09T00:00Z: stray" in lines
    assert lines[-1].endswith("alarms history ConsoleSignInFailures")
