"""The models of a project: every `*.sql` under a folder, in dependency order.

A model is one file; its name is the file stem (unique across subfolders, which only group
models by stage for readers). Dependencies are the tables the SQL reads, found by sqlglot:
a reference to another model's name is an edge, anything else (`events`, `batches`, the
config tables) is a source. `depends_on` in the header adds edges parsing cannot see, and a
keyed model depends on its `keys_from`. `graphlib` orders the models; a cycle is an error
naming the models on it.

Parsing eight models with sqlglot costs about as much as an incremental refresh's SQL, so
`load_project` takes a `parsed` cache: the tables each file reads, by a digest of its text,
the Jinja values and the sqlglot version (the runner keeps it in the catalog). A file whose
digest is known is not parsed again; any change to it is a new digest.
"""

from __future__ import annotations

import graphlib
import hashlib
import json
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlglot
from sqlglot import exp

from ctlake.errors import BadInputError
from ctlake.models.header import ModelHeader, parse_header
from ctlake.models.render import render


@dataclass(frozen=True)
class Model:
    name: str
    path: Path
    text: str
    header: ModelHeader
    depends_on: tuple[str, ...]  # other models, sorted
    sources: tuple[str, ...]  # tables that are not models (events, batches, ...), sorted

    @property
    def kind(self) -> str:
        return self.header.kind


def load_project(
    folder: Path,
    values: Mapping[str, object],
    parsed: MutableMapping[str, list[str]] | None = None,
) -> list[Model]:
    """The models under `folder`, upstream first. `values` are the Jinja values (thresholds)
    needed to render the SQL for parsing; `parsed` (parse digest -> tables read) is used and
    completed when given."""
    files = sorted(folder.rglob("*.sql"))
    seen: dict[str, Path] = {}
    for path in files:
        if path.stem in seen:
            raise BadInputError(
                f"{path}: model name {path.stem!r} is also used by {seen[path.stem]}"
            )
        seen[path.stem] = path
    raw = {path.stem: (path, path.read_text()) for path in files}
    names = set(raw)
    cache: MutableMapping[str, list[str]] = {} if parsed is None else parsed
    models = {
        name: _model(name, path, text, names, values, cache) for name, (path, text) in raw.items()
    }
    return [models[name] for name in _order(models)]


def parse_digest(text: str, values: Mapping[str, object]) -> str:
    """What the tables a model file reads depend on: its text, the values, sqlglot."""
    key = json.dumps([text, dict(values), sqlglot.__version__], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _model(
    name: str,
    path: Path,
    text: str,
    names: set[str],
    values: Mapping[str, object],
    parsed: MutableMapping[str, list[str]],
) -> Model:
    header = parse_header(path, text)
    named = [("depends_on", dep) for dep in header.depends_on]
    if header.keys_from is not None:
        named.append(("keys_from", header.keys_from))
    for key, dep in named:
        if dep not in names:
            raise BadInputError(f"{path}: {key} names {dep!r}, which is not a model")
    digest = parse_digest(text, values)
    if digest not in parsed:
        sql = render(path, text, datetime(2000, 1, 1), datetime(2000, 1, 2), values)
        parsed[digest] = sorted(referenced_tables(path, sql))
    tables = set(parsed[digest]) - {name}
    deps = (tables & names) | {dep for _, dep in named}
    return Model(name, path, text, header, tuple(sorted(deps)), tuple(sorted(tables - names)))


def referenced_tables(path: Path, sql: str) -> set[str]:
    """The tables a single SELECT statement reads (CTE names excluded), lower-cased."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        raise BadInputError(f"{path}: SQL does not parse: {_first_error(exc)}") from exc
    if len(statements) != 1:
        raise BadInputError(f"{path}: a model is exactly one SELECT statement")
    tree = statements[0]
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    return {t.name.lower() for t in tree.find_all(exp.Table) if t.name.lower() not in ctes}


def _order(models: Mapping[str, Model]) -> list[str]:
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for name in sorted(models):
        sorter.add(name, *models[name].depends_on)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError as exc:
        cycle = exc.args[1]
        raise BadInputError(
            f"models depend on each other in a cycle: {' -> '.join(cycle)}"
        ) from exc


def _first_error(exc: sqlglot.errors.ParseError) -> str:
    errors = exc.errors or [{}]
    first = errors[0]
    return f"line {first.get('line')}: {first.get('description', str(exc))}"
