"""The documentation stays true as files move: every relative link points to a file or folder
of the repository, and the docs cite only what the repository holds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "sql" / "README.md", *(ROOT / "docs").glob("*.md")])

FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = ("http://", "https://", "mailto:", "#")

# Only text a person writes is searched; caches, environments and build output are not.
TEXT_SUFFIXES = {".py", ".md", ".toml", ".sql", ".txt", ".cfg", ".yml", ".yaml", ".sh"}
SKIPPED_DIRS = {".git", ".venv", "venv", "__pycache__", "build", "dist", "node_modules"}


def relative_links(markdown: str) -> list[str]:
    """The link targets of `markdown` that name a path in the repository, without anchors.

    Code (fenced blocks, inline spans) is not markup, so a `[x](y)` inside it is no link;
    the text of a link may itself be code, as in [`sql/`](sql/README.md)."""
    text = FENCED.sub("", markdown)
    text = INLINE_CODE.sub("", text)
    targets = [m.group(1) for m in LINK.finditer(text)]
    return [t.split("#", 1)[0] for t in targets if not t.startswith(EXTERNAL)]


def test_the_link_finder_sees_links_and_skips_code() -> None:
    text = (
        "See [`sql/`](sql/README.md#the-baseline), [AWS](https://aws.amazon.com),\n"
        "[here](#top) and `[not](a-link.md)`.\n```\n[nor](this.md)\n```\n"
    )
    assert relative_links(text) == ["sql/README.md"]


def test_the_docs_exist() -> None:
    names = {str(p.relative_to(ROOT)) for p in DOCS}
    assert {"README.md", "sql/README.md", "docs/architecture.md", "docs/models.md"} <= names


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_a_file_of_the_repository(doc: Path) -> None:
    links = relative_links(doc.read_text(encoding="utf-8"))
    broken = [link for link in links if not (doc.parent / link).resolve().exists()]
    assert not broken, f"{doc.relative_to(ROOT)} links to missing paths: {broken}"


def _text_files() -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(ROOT):
        # pruned in place, so os.walk never enters an environment or a cache
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        here = Path(folder)
        in_ci = here.name == ".ci"
        files += [here / n for n in names if in_ci or Path(n).suffix in TEXT_SUFFIXES]
    return files


def test_no_file_cites_a_design_document_the_repository_does_not_hold() -> None:
    """Code, docs and tests once cited a founding design document kept outside the
    repository; what a reader needs is in docs/ and the READMEs instead."""
    cited = "DESIGN" + ".md"  # spelt apart so this file does not cite it either
    citing = [
        str(path.relative_to(ROOT))
        for path in _text_files()
        if cited in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not citing, f"{cited} is not in the repository, yet cited by: {citing}"
