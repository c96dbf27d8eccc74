"""`ctlake config init` and `ctlake config show`: the text of ctlake.toml.

`init_text` fills the commented template `config_template.toml` with the sources and the
webhook given on the command line (as TOML strings: JSON's escaping is valid TOML);
`with_cis` appends the CIS monitoring pack (data/cis/cis.toml) for `config init --cis`.
`show_text` prints the effective configuration — the file's values over the defaults, each
section as its own `to_toml` gives it — as TOML, with every URL's secrets masked, so it can
be pasted into an issue safely.
"""

from __future__ import annotations

import glob
import json
import tomllib
from pathlib import Path
from typing import Any

from ctlake.batch.run import is_glob
from ctlake.config import Config, appended
from ctlake.resources import cis_pack

TEMPLATE = Path(__file__).resolve().parent / "config_template.toml"


def init_text(sources: list[str], webhook: str | None) -> str:
    """The commented ctlake.toml for a new lake."""
    paths = ", ".join(json.dumps(source_path(s)) for s in sources)
    sinks = ""
    if webhook:
        sinks = (
            "[[sinks.webhook]]\n"
            f"url = {json.dumps(webhook)}\n"
            'format = "json"     # json: the record; slack: {"text": a summary}\n'
            "timeout = 5         # seconds per attempt\n"
            "retries = 2         # more attempts in the same run, waiting 0.5s, 1s, ...\n"
        )
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("{{ sources }}", paths).replace("{{ sinks }}", sinks)


def cis_names() -> tuple[set[str], set[str]]:
    """The names of the CIS pack's metric filters and alarms."""
    data = tomllib.loads(cis_pack())
    filters = {f["name"] for f in data.get("metrics", {}).get("filter", [])}
    alarms = {a["name"] for a in data.get("alarms", {}).get("alarm", [])}
    return filters, alarms


def with_cis(text: str, config: Config | None) -> str | None:
    """`text` (a ctlake.toml, loaded as `config`; None for a new file) with the CIS pack's
    filters and alarms appended; None when every one of them is already there. A filter or
    alarm of the pack's name with another definition is an error when the result loads."""
    filters, alarms = cis_names()
    if config is not None:
        have_filters = {f.name for f in config.metrics.filters}
        have_alarms = {a.name for a in config.alarms.alarms}
        if filters <= have_filters and alarms <= have_alarms:
            return None
    return appended(text, cis_pack())


def source_path(source: str) -> str:
    """A source as ctlake.toml records it: absolute, `~` expanded."""
    return str(Path(source).expanduser().absolute())


def source_warnings(sources: list[str]) -> list[str]:
    """A line for each source that holds nothing yet. Not an error: a mount or a folder the
    logs arrive in later is a fair source; but a typo should be seen now, not at the
    first run (which fails on a missing path and warns of a glob matching nothing)."""
    warnings = []
    for source in map(source_path, sources):
        if is_glob(source):
            if not glob.glob(source, recursive=True):
                warnings.append(f"source {source} matches no file yet")
        elif not Path(source).exists():
            warnings.append(f"source {source} does not exist: `ctlake run` fails until it does")
    return warnings


def show_text(config: Config) -> str:
    source = str(config.path) if config.path.is_file() else f"{config.path} (absent: defaults)"
    return f"# effective configuration of {source}\n" + to_toml(config.to_toml())


def to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """`data` (tables, arrays of tables, scalars, lists) as TOML text."""
    lines = [f"{k} = {_value(v)}" for k, v in data.items() if not _is_table(v)]
    out = "\n".join(lines) + ("\n" if lines else "")
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            body = to_toml(value, name + ".")
            if body.strip():
                out += f"\n[{name}]\n{body}" if _has_scalars(value) else body
        elif _is_table(value):
            for item in value:
                out += f"\n[[{name}]]\n" + to_toml(item, name + ".")
    return out


def _is_table(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _has_scalars(value: dict[str, Any]) -> bool:
    return any(not _is_table(v) for v in value.values())


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(str(value))
