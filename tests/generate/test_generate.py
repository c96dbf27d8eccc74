"""The synthetic trail: layout, record shapes, exact totals, visible anomalies, broken input."""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest

from ctlake.errors import BadInputError
from ctlake.generate import GenerateSummary, generate_trail
from ctlake.generate import anomalies as anom
from ctlake.generate import trail as trail_module
from ctlake.generate.catalog import build_stream
from ctlake.generate.ids import rng_for
from ctlake.generate.records import Call, Renderer
from ctlake.generate.traffic import Traffic

END = datetime(2024, 5, 1, tzinfo=UTC)
LOG_KEY = re.compile(
    r"AWSLogs/(?P<acct>\d{12})/CloudTrail/(?P<region>[a-z]{2}-[a-z]+-\d)/(?P<y>\d{4})/(?P<m>\d\d)/"
    r"(?P<d>\d\d)/(?P=acct)_CloudTrail_(?P=region)_(?P<stamp>\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz"
)
DIGEST_KEY = re.compile(
    r"AWSLogs/(?P<acct>\d{12})/CloudTrail-Digest/(?P<region>[a-z]{2}-[a-z]+-\d)/\d{4}/\d\d/\d\d/"
    r"(?P=acct)_CloudTrail-Digest_(?P=region)_[\w-]+_(?P=region)_\d{8}T\d{6}Z\.json\.gz"
)
EVENT_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
REQUIRED = {
    "eventVersion": str,
    "userIdentity": dict,
    "eventTime": str,
    "eventSource": str,
    "eventName": str,
    "awsRegion": str,
    "sourceIPAddress": str,
    "userAgent": str,
    "eventID": str,
    "readOnly": bool,
    "eventType": str,
    "managementEvent": bool,
    "recipientAccountId": str,
    "eventCategory": str,
}


@dataclass
class Tree:
    """A generated trail read back: every readable record with the file it came from."""

    root: Path
    summary: GenerateSummary
    labels: dict[str, Any]
    records: list[tuple[str, Any]] = field(default_factory=list)  # (key, item)
    unreadable: dict[str, str] = field(default_factory=dict)  # key -> why
    digests: list[str] = field(default_factory=list)
    _events: dict[str, dict[str, Any]] | None = None

    def events(self) -> dict[str, dict[str, Any]]:
        """Valid records by eventID (duplicates collapse)."""
        if self._events is None:
            self._events = {r["eventID"]: r for _, r in self.records if _valid(r)}
        return self._events


def _valid(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and "eventID" in item
        and EVENT_TIME.fullmatch(str(item.get("eventTime"))) is not None
    )


def _read(root: Path, summary: GenerateSummary) -> Tree:
    tree = Tree(root, summary, orjson.loads((root / "labels.json").read_bytes()))
    for path in sorted(root.rglob("*.json.gz")):
        key = path.relative_to(root).as_posix()
        if "/CloudTrail-Digest/" in key:
            tree.digests.append(key)
            continue
        try:
            document = orjson.loads(gzip.decompress(path.read_bytes()))
        except (EOFError, OSError, zlib.error) as exc:
            tree.unreadable[key] = f"gzip: {exc}"
            continue
        except orjson.JSONDecodeError as exc:
            tree.unreadable[key] = f"json: {exc}"
            continue
        if not isinstance(document.get("Records"), list):
            tree.unreadable[key] = "not CloudTrail"
            continue
        tree.records += [(key, item) for item in document["Records"]]
    return tree


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    """Three days of one region at 5% volume, read back whole: the anomalies land on the
    last day, after two days of baseline (the one-week placement is tested on `plan`)."""
    root = tmp_path_factory.mktemp("trail")
    summary = generate_trail(root, days=3, seed=3, scale=0.05, end=END, regions=("us-east-1",))
    return _read(root, summary)


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_same_seed_and_end_give_byte_identical_trails_in_one_process_or_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args: dict[str, Any] = {
        "days": 2,
        "seed": 11,
        "scale": 0.02,
        "end": END,
        "regions": ("eu-west-1", "us-east-1"),
    }
    generate_trail(tmp_path / "one", **args)
    monkeypatch.setattr(trail_module, "PARALLEL_FROM", 0)
    generate_trail(tmp_path / "two", **args)
    assert _tree_bytes(tmp_path / "one") == _tree_bytes(tmp_path / "two")


def _plan(seed: int, accounts: int = 2) -> tuple[list[anom.Anomaly], anom.Anomaly, anom.Anomaly]:
    regions = ("us-east-1", "eu-west-1", "ap-southeast-2")
    streams = [
        anom.Stream(i * 3 + j, i, f"{i + 1:012d}", r, j == 0)
        for i in range(accounts)
        for j, r in enumerate(regions)
    ]
    return anom.plan(rng_for(seed, "plan"), streams, 0, 21 * 86400, 21)


def test_anomalies_spread_over_accounts_and_regions_in_distinct_hours_after_a_week() -> None:
    anomalies, gap, rare = _plan(seed=1)
    placed = [*anomalies, rare]
    assert len({a.stream.index for a in [*placed, gap]}) == 6
    assert len({a.start // 3600 for a in placed}) == len(placed)
    assert all(a.start >= 7 * 86400 and a.end <= gap.start for a in placed)
    assert all(a.stream.home for a in placed if a.kind.home_only)
    assert gap.end == 21 * 86400 and 6 * 3600 <= gap.end - gap.start <= 10 * 3600
    assert [a.start for a in _plan(seed=2)[0]] != [a.start for a in anomalies]
    assert [a.start for a in _plan(seed=1)[0]] == [a.start for a in anomalies]


def test_every_file_follows_the_s3_delivery_layout(trail: Tree) -> None:
    keys = {p.relative_to(trail.root).as_posix() for p in trail.root.rglob("*.json.gz")}
    logs = {k for k in keys if LOG_KEY.fullmatch(k)}
    digests = {k for k in keys if DIGEST_KEY.fullmatch(k)}
    assert logs | digests == keys
    assert len(logs) == trail.labels["totals"]["files"] == trail.summary.files
    assert len(digests) == trail.labels["totals"]["digest_files"] > 0
    assert {p.relative_to(trail.root) for p in trail.summary.paths} == {Path(k) for k in keys}


def test_a_log_file_holds_its_window_and_a_few_late_events_of_the_three_before(
    trail: Tree,
) -> None:
    late = 0
    for key, item in trail.records:
        if not _valid(item):
            continue
        match = LOG_KEY.fullmatch(key)
        assert match is not None
        named = datetime.strptime(match["stamp"], "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        assert named.strftime("%Y/%m/%d") == f"{match['y']}/{match['m']}/{match['d']}"
        assert named.minute % 5 == 0
        at = datetime.strptime(item["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        assert named - timedelta(minutes=15) <= at < named + timedelta(minutes=5)
        late += at < named
    assert 0 < late < 0.02 * len(trail.records)


def test_digest_files_list_log_files_with_their_sha256(trail: Tree) -> None:
    for key in trail.digests:
        digest = orjson.loads(gzip.decompress((trail.root / key).read_bytes()))
        assert digest["digestS3Object"] == key
        assert digest["logFiles"]
        for log in digest["logFiles"]:
            body = (trail.root / log["s3Object"]).read_bytes()
            assert hashlib.sha256(body).hexdigest() == log["hashValue"]


def test_every_readable_record_has_the_required_cloudtrail_fields(trail: Tree) -> None:
    for key, item in trail.records:
        if not _valid(item):
            continue
        for name, kind in REQUIRED.items():
            assert isinstance(item.get(name), kind), (key, name, item.get(name))
        match = LOG_KEY.fullmatch(key)
        assert match is not None
        assert (item["recipientAccountId"], item["awsRegion"]) == (match["acct"], match["region"])
        assert UUID.fullmatch(item["eventID"])
        assert item["eventVersion"] in ("1.08", "1.09")
        assert item["eventCategory"] == "Management" and item["managementEvent"] is True
        assert "requestParameters" in item and "responseElements" in item
        if "errorCode" in item:
            assert item["responseElements"] is None


def test_records_look_like_a_real_account(trail: Tree) -> None:
    events = list(trail.events().values())
    assert {"IAMUser", "AssumedRole", "AWSService"} <= {e["userIdentity"]["type"] for e in events}
    assert {e["eventSource"].split(".")[0] for e in events} >= {
        "ec2",
        "s3",
        "iam",
        "sts",
        "kms",
        "lambda",
        "ssm",
        "rds",
        "cloudtrail",
        "logs",
        "autoscaling",
        "signin",
    }
    assert {e["eventType"] for e in events} == {"AwsApiCall", "AwsServiceEvent", "AwsConsoleSignIn"}
    errors = sum(1 for e in events if "errorCode" in e)
    assert 0.005 < errors / len(events) < 0.1
    assert any("tlsDetails" in e for e in events)
    assert any(e.get("sessionCredentialFromConsole") == "true" for e in events)
    role = next(e for e in events if e["userIdentity"]["type"] == "AssumedRole")
    context = role["userIdentity"]["sessionContext"]
    assert context["attributes"]["mfaAuthenticated"] == "false"
    assert EVENT_TIME.fullmatch(context["attributes"]["creationDate"])
    assert context["sessionIssuer"]["type"] == "Role"


def test_api_records_carry_their_typical_parameters(trail: Tree) -> None:
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in trail.events().values():
        if "errorCode" not in event:
            by_name[event["eventName"]].append(event)
    user = by_name["CreateUser"][0]
    assert user["requestParameters"]["userName"] == user["responseElements"]["user"]["userName"]
    assume = by_name["AssumeRole"][0]["requestParameters"]
    assert {"roleArn", "roleSessionName", "durationSeconds"} <= set(assume)
    login = by_name["ConsoleLogin"][0]
    assert login["responseElements"]["ConsoleLogin"] in ("Success", "Failure")
    assert {"MFAUsed", "LoginTo", "MobileVersion"} <= set(login["additionalEventData"])
    run = by_name["RunInstances"][0]["responseElements"]["instancesSet"]["items"][0]
    assert run["instanceId"].startswith("i-")
    failed_logins = [
        e
        for e in trail.events().values()
        if e["eventName"] == "ConsoleLogin" and e["responseElements"]["ConsoleLogin"] == "Failure"
    ]
    assert failed_logins and all("errorCode" not in e for e in failed_logins)
    assert all(e["errorMessage"] == "Failed authentication" for e in failed_logins)


def test_totals_in_labels_agree_with_the_files(trail: Tree) -> None:
    totals = trail.labels["totals"]
    valid = [item for _, item in trail.records if _valid(item)]
    ids = Counter(item["eventID"] for item in valid)
    assert totals["records_written"] == len(trail.records)
    assert totals["unique_events"] == len(ids) == trail.summary.events
    assert totals["duplicate_deliveries"] == len(valid) - len(ids)
    assert totals["bad_records"] == len(trail.records) - len(valid) == 3
    assert totals["bad_files"] == len(trail.unreadable) == 3
    assert totals["records_written"] == (
        totals["unique_events"] + totals["duplicate_deliveries"] + totals["bad_records"]
    )


def test_duplicates_are_the_same_record_in_two_different_files(trail: Tree) -> None:
    seen: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for key, item in trail.records:
        if _valid(item):
            seen[item["eventID"]].append((key, item))
    twice = [copies for copies in seen.values() if len(copies) > 1]
    assert len(twice) == trail.labels["totals"]["duplicate_deliveries"] > 0
    for (first_key, first), (second_key, second) in twice:
        assert first == second and first_key != second_key


def test_broken_files_really_are_broken(trail: Tree) -> None:
    broken = {b["path"]: b["kind"] for b in trail.labels["broken"]}
    assert sorted(broken.values()) == [
        "bad_records",
        "invalid_json",
        "not_cloudtrail",
        "truncated_gzip",
    ]
    reasons = {broken[k]: why for k, why in trail.unreadable.items()}
    assert reasons["truncated_gzip"].startswith("gzip")
    assert reasons["invalid_json"].startswith("json")
    assert reasons["not_cloudtrail"] == "not CloudTrail"
    bad_key = next(k for k, kind in broken.items() if kind == "bad_records")
    bad = [item for key, item in trail.records if key == bad_key and not _valid(item)]
    assert len(bad) == 3
    assert any(isinstance(item, dict) and "eventID" not in item for item in bad)
    assert any(
        isinstance(item, dict) and item.get("eventTime") == "yesterday 25:61" for item in bad
    )
    assert "not a record" in bad


def _minute(event_time: str) -> datetime:
    return datetime.strptime(event_time[:16], "%Y-%m-%dT%H:%M").replace(tzinfo=UTC)


def _series_counts(trail: Tree, label: dict[str, Any]) -> Counter[datetime]:
    """Per-minute counts of the label's series, as labels.py defines it."""
    counts: Counter[datetime] = Counter()
    for event in trail.events().values():
        if (
            event["recipientAccountId"],
            event["awsRegion"],
            event["eventSource"],
            event["eventName"],
        ) != (label["accountId"], label["awsRegion"], label["eventSource"], label["eventName"]):
            continue
        if label["insightType"] == "ApiErrorRateInsight":
            hit = event.get("errorCode") == label["errorCode"]
        else:
            hit = event["readOnly"] is False
        if hit:
            counts[_minute(event["eventTime"])] += 1
    return counts


def _span(label: dict[str, Any]) -> tuple[datetime, datetime]:
    return (datetime.fromisoformat(label["start"]), datetime.fromisoformat(label["end"]))


def test_each_labelled_anomaly_is_visible_at_its_stated_rate(trail: Tree) -> None:
    anomalies = [a for a in trail.labels["anomalies"] if a["insightType"] != "Gap"]
    assert len(anomalies) == 8
    for label in anomalies:
        counts = _series_counts(trail, label)
        start, end = _span(label)
        minutes = (end - start) / timedelta(minutes=1)
        inside = sum(c for m, c in counts.items() if start <= m < end)
        history = (start - datetime.fromisoformat(trail.labels["window"]["start"])).days
        base_start = start - timedelta(days=min(7, history))  # whole days, at most seven
        before = sum(c for m, c in counts.items() if base_start <= m < start)
        baseline = before / ((start - base_start) / timedelta(minutes=1))
        assert label["baselinePerMinute"] == pytest.approx(baseline, abs=1e-4), label["id"]
        assert label["calls"] == inside, label["id"]
        assert inside / minutes >= 5 * baseline and inside >= 15, label["id"]
        assert label["peakPerMinute"] == max(c for m, c in counts.items() if start <= m < end)


def test_the_actor_of_each_anomaly_makes_its_calls(trail: Tree) -> None:
    for label in trail.labels["anomalies"]:
        if label["insightType"] == "Gap":
            continue
        start, end = _span(label)
        actors = Counter(
            e["userIdentity"].get("arn")
            for e in trail.events().values()
            if e["eventName"] == label["eventName"]
            and start <= _minute(e["eventTime"]) < end
            and e["recipientAccountId"] == label["accountId"]
        )
        assert actors.most_common(1)[0][0] == label["actorArn"], label["id"]


def test_sendcommand_burst_is_fifteen_calls_in_five_minutes_over_a_tiny_baseline(
    trail: Tree,
) -> None:
    label = next(a for a in trail.labels["anomalies"] if a["id"] == "ssm-sendcommand-burst")
    assert 15 <= label["calls"] <= 17  # the usual 0.044 a minute may add one or two
    assert _span(label)[1] - _span(label)[0] == timedelta(minutes=5)
    assert 0.01 < label["baselinePerMinute"] < 0.1


def test_the_gap_job_really_stops(trail: Tree) -> None:
    gap = next(a for a in trail.labels["anomalies"] if a["insightType"] == "Gap")
    start, end = _span(gap)
    times = sorted(
        _minute(e["eventTime"])
        for e in trail.events().values()
        if e["eventName"] == "CreateSnapshot"
        and e["recipientAccountId"] == gap["accountId"]
        and e["awsRegion"] == gap["awsRegion"]
    )
    assert times and times[-1] < start
    assert end == datetime.fromisoformat(trail.labels["window"]["end"])
    last_day = [t for t in times if t >= start - timedelta(days=1)]
    assert len(last_day) == 96
    assert gap["baselinePerMinute"] == pytest.approx(1 / 15, rel=0.01)
    assert gap["peakPerMinute"] == 0


def test_the_nightly_job_bursts_at_two_every_day(trail: Tree) -> None:
    pattern = next(p for p in trail.labels["normal_patterns"] if p["kind"] == "daily")
    per_day: Counter[str] = Counter()
    for e in trail.events().values():
        if (
            (e["eventName"], e["recipientAccountId"], e["awsRegion"])
            == ("CreateTags", pattern["accountId"], pattern["awsRegion"])
            and e["eventTime"][11:16] < "02:05"
            and e["eventTime"][11:13] == "02"
        ):
            per_day[e["eventTime"][:10]] += 1
    assert len(per_day) == trail.labels["generator"]["days"]
    assert min(per_day.values()) >= pattern["calls"]


def test_labels_have_exactly_the_documented_keys(trail: Tree) -> None:
    assert set(trail.labels) == {
        "generator",
        "window",
        "accounts",
        "anomalies",
        "normal_patterns",
        "broken",
        "totals",
    }
    for anomaly in trail.labels["anomalies"]:
        assert set(anomaly) == {
            "id",
            "description",
            "insightType",
            "accountId",
            "awsRegion",
            "eventSource",
            "eventName",
            "errorCode",
            "start",
            "end",
            "actorArn",
            "userAgent",
            "baselinePerMinute",
            "peakPerMinute",
            "averagePerMinute",
            "calls",
        }
        assert (anomaly["errorCode"] is None) == (anomaly["insightType"] != "ApiErrorRateInsight")
        assert anomaly["start"].endswith(":00Z") and anomaly["end"].endswith(":00Z")
    for pattern in trail.labels["normal_patterns"]:
        assert set(pattern) == {
            "id",
            "kind",
            "description",
            "accountId",
            "awsRegion",
            "eventSource",
            "eventName",
            "daily_at",
            "every_minutes",
            "start",
            "end",
            "calls",
        }


@cache
def _week_of_calls() -> tuple[Renderer, int, list[Call]]:
    """A week of normal calls (no files) in a home region at scale 1, from a Monday."""
    ctx = build_stream(0, 0, "111122223333", "eu-west-1", home=True)
    traffic, week = Traffic(ctx, scale=1.0), int(datetime(2024, 4, 1, tzinfo=UTC).timestamp())
    return (
        Renderer(ctx),
        week,
        [c for w in range(week, week + 7 * 86400, 300) for c in traffic.calls(w)],
    )


def test_at_scale_one_a_region_sees_about_seven_thousand_events_a_day_mostly_reads() -> None:
    _, week, calls = _week_of_calls()
    assert 6_000 < len(calls) / 7 < 8_500
    assert 0.75 < sum(1 for c in calls if c[2].read_only) / len(calls) < 0.9
    weekday = [c for c in calls if (c[0] - week) // 86400 < 5]
    assert len(weekday) / 5 > (len(calls) - len(weekday)) / 2


def test_every_kind_of_principal_gets_the_user_identity_cloudtrail_gives_it() -> None:
    renderer, _, calls = _week_of_calls()
    first = {}
    for call in calls:
        first.setdefault(call[1].kind, call)
    who = {
        k: orjson.loads(orjson.dumps(renderer.render(c)))["userIdentity"] for k, c in first.items()
    }
    assert set(who) == {
        "IAMUser",
        "AssumedRole",
        "Root",
        "AWSService",
        "FederatedUser",
        "WebIdentityUser",
        "IdentityCenterUser",
    }
    assert all(identity["type"] == kind for kind, identity in who.items())
    role = who["AssumedRole"]
    assert role["arn"].startswith("arn:aws:sts::111122223333:assumed-role/")
    assert role["accessKeyId"].startswith("ASIA") and len(role["accessKeyId"]) == 20
    assert role["sessionContext"]["sessionIssuer"]["type"] == "Role"
    assert role["sessionContext"]["attributes"]["mfaAuthenticated"] in ("true", "false")
    assert EVENT_TIME.fullmatch(role["sessionContext"]["attributes"]["creationDate"])
    assert set(who["AWSService"]) == {"type", "invokedBy"}
    assert who["FederatedUser"]["sessionContext"]["sessionIssuer"]["type"] == "IAMUser"
    assert "identityProvider" in who["WebIdentityUser"]
    assert {"onBehalfOf", "credentialId"} <= set(who["IdentityCenterUser"])
    assert who["Root"]["arn"] == "arn:aws:iam::111122223333:root"


def test_too_short_a_trail_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="days"):
        generate_trail(tmp_path, days=1, end=END)
