"""Where ctlake finds the SQL it ships: the models (`sql/`), the saved queries (`queries/`)
and the library's own statements (`ctlake/**/sql/*.sql`); and the data packs of `data/`
(`data/cis/cis.toml`, the CIS monitoring pack).

A wheel carries `sql/`, `queries/` and `data/cis/` inside the package (`ctlake/_bundled/`);
a source checkout reads them from the top of the repository. Either way the installed `ctlake` finds
them from any working directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The shipped folder `name` ("sql" or "queries"), installed or in a checkout."""
    installed = PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


def bundled_data(name: str) -> Path:
    """The shipped data folder `data/<name>` ("cis"), installed or in a checkout."""
    installed = PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "data" / name


def cis_pack() -> str:
    """The text of the CIS monitoring pack: `[[metrics.filter]]` and `[[alarms.alarm]]`
    tables, each citing its published source in a comment."""
    return (bundled_data("cis") / "cis.toml").read_text()


@cache
def read_sql(module_file: str, name: str) -> str:
    """The text of `sql/<name>.sql` beside the Python module `module_file` (pass __file__)."""
    return (Path(module_file).resolve().parent / "sql" / f"{name}.sql").read_text()
