"""`[[sinks.folder|eventbridge|webhook|command]]`: where new insight records are delivered.

A webhook's URL becomes a `SecretUrl` as the file is read, so a URL that cannot work is
refused at once and its secrets are masked wherever the sink is shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ctlake.config.keys import KeyPath, lake_path, number, only, string, strings, table, tables
from ctlake.delivery.mask import SecretUrl, mask_text, remember, webhook_url

KINDS = ("folder", "eventbridge", "webhook", "command")
KEYS = {
    "folder": {"name", "path"},
    "eventbridge": {"name", "path"},
    "webhook": {"name", "url", "format", "timeout", "retries", "backoff"},
    "command": {"name", "command", "timeout"},
}


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


class Sinks(tuple[Sink, ...]):
    """The configured sinks, in the file's order by kind."""

    __slots__ = ()

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> Sinks:
        data = table(value, path)
        only(data, KINDS, path, "a sink kind")
        found: list[tuple[KeyPath, Sink]] = []
        for kind in KINDS:
            items = tables(data.get(kind, []), path / kind)
            found += [
                (path / kind / i, _sink(kind, item, path / kind / i))
                for i, item in enumerate(items)
            ]
        named: dict[str, KeyPath] = {}
        for where, sink in found:
            if sink.name in named:
                raise where.problem(
                    f"two sinks share the name {sink.name!r} ({named[sink.name]} too): "
                    "give each a `name`"
                )
            named[sink.name] = where
        return cls(sink for _, sink in found)

    def to_toml(self) -> dict[str, Any]:
        """The sinks as `config show` prints them: URLs masked, in commands too."""
        shown: dict[str, list[dict[str, Any]]] = {}
        for sink in self:
            item: dict[str, Any] = {"name": sink.name}
            if sink.kind == "webhook":
                item.update(url=sink.target, format=sink.format, timeout=sink.timeout)
                item.update(retries=sink.retries, backoff=sink.backoff)
            elif sink.kind == "command":
                item.update(command=[mask_text(w) for w in sink.command], timeout=sink.timeout)
            else:
                item["path"] = sink.target
            shown.setdefault(sink.kind, []).append(item)
        return shown


def _sink(kind: str, item: dict[str, Any], path: KeyPath) -> Sink:
    only(item, KEYS[kind], path, "a key of this sink")
    given, target, command, url = _target(kind, item, path)
    fmt = string(item, "format", path, "json")
    if fmt not in ("json", "slack"):
        raise (path / "format").expected("json or slack", fmt)
    # Named after the target as written, so moving the lake folder keeps the outbox rows.
    digest = hashlib.sha256(given.encode()).hexdigest()[:8]
    name = string(item, "name", path, f"{kind}-{digest}")
    numbers: dict[str, Any] = {}
    for key in ("timeout", "retries", "backoff"):
        if key in item:
            numbers[key] = number(item[key], path / key, whole=key == "retries")
    return Sink(kind, name, target, command, fmt, **numbers, url=url)


def _target(
    kind: str, item: dict[str, Any], path: KeyPath
) -> tuple[str, str, tuple[str, ...], SecretUrl | None]:
    """(the target as written, as shown, the command's words, the webhook's URL)."""
    if kind == "webhook":
        given = string(item, "url", path)
        url = webhook_url(given, (path / "url").where())
        return given, str(url), (), url
    if kind == "command":
        command = strings(item, "command", path)
        if not command:
            raise (path / "command").expected("a non-empty list of words")
        for word in command:  # a URL in a command line (curl ...) is masked like a webhook's
            if "://" in word:
                remember(word)
        return " ".join(command), mask_text(" ".join(command)), command, None
    given = string(item, "path", path)
    return given, lake_path(path.lake_root, given), (), None
