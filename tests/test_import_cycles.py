"""No import cycles in `ctlake/`: a module that needs another at import time, directly or
through others, must never be needed by it in turn.

The graph is built from the source with `ast`, so a cycle hidden in a function (imported
late, when the function first runs) counts as much as one at the top of a module: both
break when the import order changes. Imports under `if TYPE_CHECKING:` are left out, since
they never run. Importing `a.b.c` runs `a/b/__init__.py` first, so it is an edge to the
package `a.b` too, unless that package encloses the importing module (then it is already
being imported).
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_names(package: Path) -> dict[str, Path]:
    """Dotted module name -> its file, for every module of `package` and below."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under `node`, but those under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            yield from (i for n in child.orelse for i in _imports_of(n))
            continue
        yield from _imports_of(child)


def _imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    yield from _imports(node)


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        here = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of `package` its import statements load."""
    names = module_names(package)
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _imports(tree):
            for target in _targets(name, path.name == "__init__.py", node):
                if target not in names:
                    continue  # a name from a module, or outside the package
                parts = target.split(".")
                for depth in range(2, len(parts) + 1):  # the packages on the way, then it
                    loaded = ".".join(parts[:depth])
                    if loaded in names and not f"{name}.".startswith(f"{loaded}."):
                        graph[name].add(loaded)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_ctlake_has_no_import_cycle() -> None:
    graph = import_graph(ROOT / "ctlake")
    assert "ctlake.config" in graph and graph["ctlake.cli.run"]  # the graph was read
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "a.py", "from pkg.b import f\n")
    write(tmp_path / "pkg" / "b.py", "def f():\n    from pkg import a\n    return a\n")
    cycle = find_cycle(import_graph(tmp_path / "pkg"))
    assert cycle is not None and set(cycle) == {"pkg.a", "pkg.b"}


def test_a_cycle_through_a_package_init_is_found(tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "sub" / "__init__.py", "from pkg.sub.run import go\n")
    write(tmp_path / "pkg" / "sub" / "run.py", "from pkg.conf import x\ndef go(): pass\n")
    write(tmp_path / "pkg" / "sub" / "leaf.py", "x = 1\n")
    write(tmp_path / "pkg" / "conf.py", "from .sub.leaf import x\n")
    cycle = find_cycle(import_graph(tmp_path / "pkg"))
    assert cycle is not None and {"pkg.conf", "pkg.sub", "pkg.sub.run"} <= set(cycle)


def test_imports_for_type_checking_only_are_no_edges(tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "a.py", "from pkg.b import f\n")
    write(
        tmp_path / "pkg" / "b.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import g\n"
        "else:\n    import json\ndef f(): pass\n",
    )
    assert find_cycle(import_graph(tmp_path / "pkg")) is None
