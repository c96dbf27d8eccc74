"""The scenario lake (see scenario.py), built once for the queries tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctlake.lake import Lake
from tests.queries import scenario


@pytest.fixture(scope="session")
def scenario_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return scenario.build(Path(tmp_path_factory.mktemp("scenario")))
