"""The lake's configuration: `<lake>/ctlake.toml`, read and checked in one place.

    [insights]   thresholds of the models         (checked by ctlake.models.config)
    [cost]       prices for `ctlake cost`         (checked by ctlake.cost.prices)
    [sources]    paths = [folders or globs of CloudTrail files for `ctlake run`]
    [[sinks.folder|eventbridge|webhook|command]]  where new insight events are delivered
    [reports]    folder = "reports"; [[reports.query]] saved queries written on an interval
    [retention]  days = N: event partitions older than this are removed
    [schedule]   every = "5m", wait = seconds to wait for another writer

Every key is checked: an unknown key or a value of the wrong type is one BadInputError
naming the file, the key and what was expected, so a typo never silently falls back to a
default. Relative paths are relative to the lake folder, so a lake can be moved whole.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctlake.errors import BadInputError

if TYPE_CHECKING:
    from ctlake.delivery.mask import SecretUrl

CONFIG_FILE = "ctlake.toml"
SECTIONS = ("insights", "cost", "sources", "sinks", "reports", "retention", "schedule")
SINK_KINDS = ("folder", "eventbridge", "webhook", "command")
SINK_KEYS = {
    "folder": {"name", "path"},
    "eventbridge": {"name", "path"},
    "webhook": {"name", "url", "format", "timeout", "retries", "backoff"},
    "command": {"name", "command", "timeout"},
}
DEFAULT_EVERY = timedelta(minutes=5)
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class Sink:
    """One delivery target. `name` identifies it in the outbox, so it must stay stable."""

    kind: str
    name: str
    target: str  # folder or file path, the URL masked, or the command
    command: tuple[str, ...] = ()
    format: str = "json"  # webhook: json | slack
    timeout: float = 5.0
    retries: int = 2  # extra attempts within one run (webhook)
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    url: SecretUrl | None = None  # webhook: the URL, secrets shown masked


@dataclass(frozen=True)
class Report:
    name: str
    query: str
    every: timedelta
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LakeConfig:
    path: Path
    sources: tuple[str, ...] = ()
    sinks: tuple[Sink, ...] = ()
    reports_folder: Path = Path("reports")
    reports: tuple[Report, ...] = ()
    retention_days: int | None = None
    every: timedelta = DEFAULT_EVERY
    wait_seconds: float = 0.0
    raw: dict[str, Any] = field(default_factory=dict)  # the file as parsed, but [sinks]


def load(lake_root: Path) -> LakeConfig:
    """The configuration of the lake at `lake_root` (defaults when it has no ctlake.toml)."""
    path = lake_root / CONFIG_FILE
    if not path.is_file():
        return _parse({}, path, lake_root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not valid TOML: {exc}") from None
    return _parse(data, path, lake_root)


def _parse(data: dict[str, Any], path: Path, root: Path) -> LakeConfig:
    from ctlake.cost.prices import load_prices
    from ctlake.models.config import parse_config

    where = str(path)
    _only(data, set(SECTIONS), where, "", "a section")
    parse_config(data, where)  # [insights], and the top-level keys
    load_prices(root)  # [cost]
    sources = _section(data, "sources", {"paths"}, where)
    reports = _section(data, "reports", {"folder", "query"}, where)
    retention = _section(data, "retention", {"days"}, where)
    schedule = _section(data, "schedule", {"every", "wait"}, where)
    days = retention.get("days")
    if days is not None and (not _is_int(days) or days < 1):
        raise BadInputError(f"{where}: retention.days: expected a whole number >= 1, got {days!r}")
    wait = schedule.get("wait", 0)
    if not _is_number(wait) or wait < 0:
        raise BadInputError(f"{where}: schedule.wait: expected seconds >= 0, got {wait!r}")
    return LakeConfig(
        path=path,
        sources=tuple(_resolve(root, p) for p in _strings(sources, "paths", where, "sources.")),
        sinks=_sinks(data.get("sinks", {}), where, root),
        reports_folder=Path(
            _resolve(root, _string(reports, "folder", where, "reports.", "reports"))
        ),
        reports=_reports(reports.get("query", []), where),
        retention_days=days,
        every=parse_duration(schedule.get("every", "5m"), f"{where}: schedule.every"),
        wait_seconds=float(wait),
        raw={k: v for k, v in data.items() if k != "sinks"},  # webhook URLs live in Sink.url
    )


def parse_duration(value: Any, what: str) -> timedelta:
    """'30s', '5m', '12h', '7d' as a timedelta; `what` names the value in the error."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) == 0:
        raise BadInputError(
            f"{what}: expected a duration such as 30s, 5m, 12h or 1d, got {value!r}"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def format_duration(value: timedelta) -> str:
    """A timedelta as the shortest duration text `parse_duration` reads back."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _sinks(section: Any, where: str, root: Path) -> tuple[Sink, ...]:
    if not isinstance(section, dict):
        raise BadInputError(f"{where}: sinks: expected tables such as [[sinks.webhook]]")
    _only(section, set(SINK_KINDS), where, "sinks.", "a sink kind")
    sinks: list[Sink] = []
    for kind in SINK_KINDS:
        items = section.get(kind, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise BadInputError(
                f"{where}: sinks.{kind}: expected an array of tables [[sinks.{kind}]]"
            )
        sinks.extend(
            _sink(kind, item, f"sinks.{kind}[{i}].", where, root) for i, item in enumerate(items)
        )
    names = [s.name for s in sinks]
    for name in names:
        if names.count(name) > 1:
            raise BadInputError(f"{where}: two sinks share the name {name!r}: give each a `name`")
    return tuple(sinks)


def _sink(kind: str, item: dict[str, Any], key: str, where: str, root: Path) -> Sink:
    _only(item, SINK_KEYS[kind], where, key, "a key of this sink")
    given, target, command, url = _target(kind, item, key, where, root)
    fmt = _string(item, "format", where, key, "json")
    if fmt not in ("json", "slack"):
        raise BadInputError(f"{where}: {key}format: expected json or slack, got {fmt!r}")
    # Named after the target as written, so moving the lake folder keeps the outbox rows.
    digest = hashlib.sha256(given.encode())
    digest_text = digest.hexdigest()[:8]
    name = _string(item, "name", where, key, f"{kind}-{digest_text}")
    numbers = {k: item[k] for k in ("timeout", "retries", "backoff") if k in item}
    for k, v in numbers.items():
        if not _is_number(v) or v < 0 or (k == "retries" and not _is_int(v)):
            raise BadInputError(f"{where}: {key}{k}: expected a number >= 0, got {v!r}")
    return Sink(kind, name, target, command, fmt, **numbers, url=url)


def _target(
    kind: str, item: dict[str, Any], key: str, where: str, root: Path
) -> tuple[str, str, tuple[str, ...], SecretUrl | None]:
    """(the target as written, as shown, the command's words, the webhook's URL)."""
    from ctlake.delivery.mask import mask_text, remember, webhook_url  # ctlake.delivery imports us

    if kind == "webhook":
        given = _string(item, "url", where, key, None)
        url = webhook_url(given, f"{where}: {key}url")
        return given, str(url), (), url
    if kind == "command":
        command = tuple(_strings(item, "command", where, key))
        if not command:
            raise BadInputError(f"{where}: {key}command: expected a non-empty list of words")
        for word in command:  # a URL in a command line (curl ...) is masked like a webhook's
            if "://" in word:
                remember(word)
        return " ".join(command), mask_text(" ".join(command)), command, None
    given = _string(item, "path", where, key, None)
    return given, _resolve(root, given), (), None


def _reports(items: Any, where: str) -> tuple[Report, ...]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadInputError(
            f"{where}: reports.query: expected an array of tables [[reports.query]]"
        )
    reports = []
    for index, item in enumerate(items):
        key = f"reports.query[{index}]."
        _only(item, {"name", "query", "every", "params"}, where, key, "a key of a report")
        query = _string(item, "query", where, key, None)
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise BadInputError(f"{where}: {key}params: expected a table of parameter values")
        every = parse_duration(item.get("every", "1d"), f"{where}: {key}every")
        reports.append(Report(_string(item, "name", where, key, query), query, every, params))
    return tuple(reports)


def _section(data: dict[str, Any], name: str, keys: set[str], where: str) -> dict[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise BadInputError(f"{where}: {name}: expected a table [{name}]")
    _only(section, keys, where, f"{name}.", "a key")
    return section


def _only(table: dict[str, Any], allowed: set[str], where: str, prefix: str, what: str) -> None:
    for key in table:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise BadInputError(f"{where}: unknown key {prefix}{key} (expected {what}: {known})")


def _string(table: dict[str, Any], key: str, where: str, prefix: str, default: str | None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise BadInputError(f"{where}: {prefix}{key}: expected a non-empty string, got {value!r}")
    return value


def _strings(table: dict[str, Any], key: str, where: str, prefix: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise BadInputError(f"{where}: {prefix}{key}: expected a list of strings, got {value!r}")
    return value


def _resolve(root: Path, value: str) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else root / path)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
