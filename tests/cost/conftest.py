"""A lake whose events are exactly 1,000 bytes each, so every cost has an exact figure.

2024-05  iam.amazonaws.com  3 management writes (CreateUser)
2024-05  ec2.amazonaws.com  2 management reads (DescribeInstances)
2024-05  s3.amazonaws.com   4 data events (GetObject)
2024-06  iam.amazonaws.com  1 management write
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from typer.testing import CliRunner, Result

from ctlake.cli.app import app
from ctlake.lake import Lake
from tests.conftest import lake_of, make_record

EVENT_BYTES = 1000


def sized(record: dict[str, Any]) -> dict[str, Any]:
    """`record` padded to EVENT_BYTES of JSON (the size CloudTrail Lake would ingest)."""
    record["pad"] = ""
    record["pad"] = "x" * (EVENT_BYTES - len(orjson.dumps(record)))
    assert len(orjson.dumps(record)) == EVENT_BYTES
    return record


def cost_events() -> list[dict[str, Any]]:
    read = {"eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances", "readOnly": True}
    data = {
        "eventSource": "s3.amazonaws.com",
        "eventName": "GetObject",
        "readOnly": True,
        "managementEvent": False,
        "eventCategory": "Data",
    }
    june = {"eventTime": "2024-06-02T08:00:00Z"}
    return [
        *[sized(make_record(n)) for n in range(3)],
        *[sized(make_record(n, **read)) for n in range(3, 5)],
        *[sized(make_record(n, **data)) for n in range(5, 9)],
        sized(make_record(9, **june)),
    ]


@pytest.fixture(scope="package")
def _cost_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return lake_of(tmp_path_factory.mktemp("cost"), cost_events())


@pytest.fixture
def cost_lake(_cost_lake: Lake) -> Lake:
    """The module's lake (one ingest for the package keeps the tests fast), without a config."""
    (_cost_lake.root / "ctlake.toml").unlink(missing_ok=True)
    return _cost_lake


def configure(lake: Lake, text: str) -> None:
    (lake.root / "ctlake.toml").write_text(text)


def run(lake: Lake, *args: str) -> Result:
    return CliRunner().invoke(app, ["--lake", str(lake.root), "cost", *args])
