"""The folder `ctlake generate OUT` writes into.

Generating into a folder that already holds files would mix two trails (the new files
beside the old ones, ingested together) and overwrite `labels.json`, so that the labels no
longer describe the logs. So OUT must be new or empty; with `force`, the trail a previous
`generate` wrote there is removed first — `labels.json` and the accounts it lists under
`AWSLogs/`, which hold every file generate writes — and nothing else is ever touched (a
`labels.json` generate did not write is refused, as the new one would overwrite it).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import orjson

from ctlake.errors import BadInputError

LABELS = "labels.json"
_ACCOUNT = re.compile(r"\d{12}")


def prepare(out: Path, force: bool) -> list[Path]:
    """Make `out` ready for a new trail; returns what was removed (with `force`)."""
    if out.exists() and not out.is_dir():
        raise BadInputError(f"{out} is a file, not a folder")
    if not out.exists() or not any(out.iterdir()):
        return []
    if not force:
        raise BadInputError(
            f"generate: {out} is not empty: give a new or empty folder, or --force to "
            "replace the trail a previous generate wrote there"
        )
    return remove_previous(out)


def remove_previous(out: Path) -> list[Path]:
    """Remove the trail a previous generate wrote into `out`: its accounts under AWSLogs/
    and labels.json. Nothing is removed when `out` holds no labels.json; one that generate
    did not write is refused, as the new trail's labels would overwrite it."""
    labels = out / LABELS
    if not labels.exists():
        return []
    accounts = _generated_accounts(labels)
    if accounts is None:  # the new labels.json would overwrite someone else's file
        raise BadInputError(
            f"generate: {labels} was not written by generate and would be overwritten: "
            "move it, or give another folder"
        )
    removed = []
    for account in accounts:
        folder = out / "AWSLogs" / account
        if folder.is_dir():
            shutil.rmtree(folder)
            removed.append(folder)
    logs = out / "AWSLogs"
    if logs.is_dir() and not any(logs.iterdir()):
        logs.rmdir()
    labels.unlink()
    return [*removed, labels]


def _generated_accounts(labels: Path) -> list[str] | None:
    """The account ids of the trail `labels` describes, or None when it is not a labels
    file generate wrote."""
    try:
        data = orjson.loads(labels.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("generator"), dict):
        return None
    items = data.get("accounts") or []
    accounts = [item.get("accountId") for item in items if isinstance(item, dict)]
    # Only twelve digits: a folder name read from a file never reaches rmtree otherwise.
    if not all(isinstance(a, str) and _ACCOUNT.fullmatch(a) for a in accounts):
        return None
    return [str(a) for a in accounts]
