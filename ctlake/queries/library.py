"""Saved queries: `queries/*.sql`, each a SELECT with a YAML header.

The header is the first `/* */` comment of the file:

    /*
    description: IAM users created in the last `days` days.
    tags: [iam, security]
    parameters:
      days: {type: integer, default: 30, description: Days back from `until`.}
      until: {type: timestamp, default: now, description: End of the window (exclusive).}
    */
    SELECT ... WHERE eventTime >= CAST($until AS TIMESTAMP) - ... AND eventTime < ...

Queries live in `queries/` and its subfolders (`queries/cloudwatch/`); names are unique
across them. `dialect: logs-insights` in the header makes the body a CloudWatch Logs
Insights query (as published, `#` comments and all), whose only parameters are its time
range: `start` and `end`, optional timestamps.

Header keys: `description` (required), `tags`, `parameters`, `dialect`; parameter keys: `type`,
`default` (absent = required; `null` = optional, bound as NULL), `description`. Any other
key is an error naming the file and the key, so a typo never silently drops a setting.
The query name is the file stem.

The API others build on (the shell, `ctlake sql`, reports):

    load_queries(folder=None) -> dict[str, SavedQuery]   every query, by name, sorted
    load_query(name, folder=None) -> SavedQuery          one, or BadInputError
    query.bind({"days": "7"}) -> (sql, params)           ready for con.execute(sql, params)
    bind(query, {"days": "7"})                           the same, as a function

`bind` accepts text (from `-p`) or typed values, fills defaults, and rejects unknown or
missing parameters. Parameters are bound by DuckDB (`$name`), never pasted into the SQL.

Writing a query (the shipped ones do, and bench/queries.py measures them on 10M events):
a time-bounded query takes `days` and `until` (default `now`) and filters
`eventTime >= until - days AND eventTime < until`; `bind` adds the `eventDate` bounds
those imply, so DuckDB opens only those partitions; a list of event names is
`eventName IN (SELECT unnest([...]))`, which DuckDB pushes into the scan (a long `IN (...)`
list makes it decode every row's maps first); several distinct counts over many rows are
computed on a first GROUP BY, not with `count(DISTINCT ...)` over the raw events.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ctlake.errors import BadInputError
from ctlake.queries.params import REQUIRED, TYPES, Parameter
from ctlake.resources import bundled_dir

# sqlglot is imported where a query is parsed (its tables, its placeholders): listing and
# binding queries never parse, and `ctlake query list` must start without loading it.
if TYPE_CHECKING:
    from sqlglot import exp

HEADER_KEYS = {"description", "tags", "parameters", "dialect"}
# `dialect: logs-insights`: the query is CloudWatch Logs Insights text, translated once
# read; its only parameters are its time range, `start` and `end` (optional timestamps).
DIALECTS = ("duckdb", "logs-insights")
INSIGHTS_PARAMETERS = {"start", "end"}
PARAMETER_KEYS = {"type", "default", "description"}
_HEADER = re.compile(r"\A\s*/\*(?P<yaml>.*?)\*/", re.DOTALL)
# libyaml's safe loader when PyYAML was built with it: `query list` reads every header, and
# the pure-Python loader alone took longer than the rest of the command
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str  # the query as written, without the header
    dialect: str = "duckdb"

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.describe() for p in self.parameters) or "no parameters"
        raise BadInputError(f"query {self.name} has no parameter {name!r}; it takes {known}")

    def bind(self, values: Mapping[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """The SQL and its typed parameters: `values` given (text or typed), defaults for
        the rest. A missing required or unknown parameter is a BadInputError."""
        given = dict(values or {})
        for name in given:
            self.parameter(name)
        bound: dict[str, Any] = {}
        for param in self.parameters:
            if param.name in given:
                bound[param.name] = param.convert(given[param.name])
            elif param.required:
                raise BadInputError(
                    f"query {self.name}: missing parameter {param.name} ({param.type}); "
                    f"give -p {param.name}=VALUE"
                )
            else:
                bound[param.name] = param.default_value()
        if self.dialect == "logs-insights":
            return self._insights_sql(bound), {}
        return self.runnable_sql, bound

    def _insights_sql(self, bound: Mapping[str, Any]) -> str:
        """The Logs Insights query over [start, end): the bounds are compiled in as
        literals of the converted timestamps, so DuckDB prunes partitions on them."""
        from ctlake.cloudwatch.logs_insights import to_sql

        return to_sql(self.text, bound.get("start"), bound.get("end"))

    @cached_property
    def sql(self) -> str:
        """The statement as DuckDB SQL: the text itself, or a Logs Insights query's
        translation over the whole lake (made when first asked for: `query list` loads
        neither lark nor sqlglot)."""
        if self.dialect != "logs-insights":
            return self.text
        from ctlake.cloudwatch.logs_insights import to_sql

        try:
            return to_sql(self.text)
        except BadInputError as exc:
            raise BadInputError(f"{self.path}: {exc}") from exc

    @cached_property
    def runnable_sql(self) -> str:
        """The SQL as it runs: with the `eventDate` bounds its `eventTime` window implies,
        so it reads only the partitions it needs (see `ctlake.dialect.partitions`)."""
        from ctlake.dialect.partitions import with_partition_bounds

        return with_partition_bounds(self.sql)

    @cached_property
    def placeholders(self) -> frozenset[str]:
        """The `$name` parameters the SQL uses, as sqlglot finds them."""
        from sqlglot import exp

        if self.dialect == "logs-insights":  # its time range, bound as the query compiles
            return frozenset(p.name for p in self.parameters)
        return frozenset(node.name for node in _parse(self).find_all(exp.Placeholder))

    @cached_property
    def tables(self) -> frozenset[str]:
        """The tables the SQL reads (lower case), common table expressions excluded."""
        from sqlglot import exp

        tree = _parse(self)
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        names = {table.name.lower() for table in tree.find_all(exp.Table) if table.name}
        return frozenset(names - ctes)


def bind(query: SavedQuery, values: Mapping[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    """`query.bind(values)`, as a function for callers that hold only the module."""
    return query.bind(values)


def load_queries(folder: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query in `folder` (default: the shipped `queries/`) and its subfolders
    (`queries/cloudwatch/`), by name: the file stem, unique across the folders."""
    root = folder or bundled_dir("queries")
    queries: dict[str, SavedQuery] = {}
    for path in sorted(root.rglob("*.sql")):
        if path.stem in queries:
            raise BadInputError(
                f"{path}: a saved query named {path.stem} already exists "
                f"({queries[path.stem].path}); query names must be unique"
            )
        queries[path.stem] = parse_query(path)
    return dict(sorted(queries.items()))


def load_query(name: str, folder: Path | None = None) -> SavedQuery:
    queries = load_queries(folder)
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, queries, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise BadInputError(f"no saved query named {name!r}{hint}; see `ctlake query list`")


def parse_query(path: Path) -> SavedQuery:
    """Read and check one query file; every problem names the file."""
    text = path.read_text()
    match = _HEADER.match(text)
    if match is None:
        raise BadInputError(f"{path}: no header: start the file with a /* YAML */ comment")
    header = _load_yaml(path, match.group("yaml"))
    _reject_unknown(path, header, HEADER_KEYS, "header key")
    description = header.get("description")
    if not isinstance(description, str) or not description.strip():
        raise BadInputError(f"{path}: header key description: expected a sentence")
    body = text[match.end() :].strip().rstrip(";").strip()
    if not body:
        raise BadInputError(f"{path}: no SQL after the header")
    dialect = header.get("dialect", "duckdb")
    if dialect not in DIALECTS:
        raise BadInputError(
            f"{path}: header key dialect: expected one of {', '.join(DIALECTS)}, got {dialect!r}"
        )
    parameters = _parameters(path, header.get("parameters") or {})
    return SavedQuery(
        name=path.stem,
        path=path,
        description=" ".join(description.split()),
        tags=_tags(path, header.get("tags", [])),
        parameters=_insights_parameters(path, parameters) if dialect != "duckdb" else parameters,
        text=body,
        dialect=dialect,
    )


def _insights_parameters(path: Path, parameters: tuple[Parameter, ...]) -> tuple[Parameter, ...]:
    """The parameters of a Logs Insights query file: its time range only."""
    for param in parameters:
        if param.name not in INSIGHTS_PARAMETERS or param.type != "timestamp":
            raise BadInputError(
                f"{path}: parameter {param.name}: a logs-insights query takes only "
                "start and end, of type timestamp"
            )
    return parameters


def _load_yaml(path: Path, text: str) -> dict[str, Any]:
    try:
        header = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise BadInputError(
            f"{path}: header is not valid YAML: {' '.join(str(exc).split())}"
        ) from exc
    if not isinstance(header, dict):
        raise BadInputError(f"{path}: header must be a YAML mapping (description: ...)")
    return header


def _reject_unknown(path: Path, found: Mapping[str, Any], allowed: set[str], what: str) -> None:
    for key in found:
        if key not in allowed:
            raise BadInputError(
                f"{path}: unknown {what} {key!r} (allowed: {', '.join(sorted(allowed))})"
            )


def _tags(path: Path, tags: Any) -> tuple[str, ...]:
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise BadInputError(f"{path}: header key tags: expected a list of words")
    return tuple(tags)


def _parameters(path: Path, declared: Any) -> tuple[Parameter, ...]:
    if not isinstance(declared, dict):
        raise BadInputError(f"{path}: header key parameters: expected a mapping of name: {{...}}")
    return tuple(_parameter(path, str(name), spec) for name, spec in declared.items())


def _parameter(path: Path, name: str, spec: Any) -> Parameter:
    if not isinstance(spec, dict):
        raise BadInputError(f"{path}: parameter {name}: expected {{type: ..., default: ...}}")
    _reject_unknown(path, spec, PARAMETER_KEYS, f"key of parameter {name}:")
    type_name = spec.get("type")
    if type_name not in TYPES:
        raise BadInputError(
            f"{path}: parameter {name}: type {type_name!r} is not one of {', '.join(TYPES)}"
        )
    param = Parameter(name, type_name, spec.get("default", REQUIRED), spec.get("description", ""))
    try:
        param.default_value()
    except BadInputError as exc:
        raise BadInputError(f"{path}: default of {exc}") from exc
    return param


def _parse(query: SavedQuery) -> exp.Expr:
    import sqlglot

    try:
        return sqlglot.parse_one(query.sql, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise BadInputError(
            f"{query.path}: SQL does not parse: {' '.join(str(exc).split())}"
        ) from exc
