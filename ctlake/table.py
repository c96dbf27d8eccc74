"""The table format: query results laid out for a person reading a terminal.

One renderer for every command that prints a table (sql, query run, cost, models,
contributors, quarantine list, insights list), so every table follows the same rules:

- Numbers are right-aligned and never cut: a numeric column is as wide as its widest value,
  and its header wraps (at `_`, `.`, `-`, `/`, spaces and camelCase) rather than widen it.
- Times, booleans, UUIDs, ISO timestamps and strings of digits (account IDs) are never cut
  either: shortened they mean nothing, and an ID must stay whole to be copied.
- A numeric column named `*_usd` holds US dollars and shows as `$1,234.57`, rounded half up
  to the cent (`ctlake.text.usd`). CSV and JSON are not drawn here: they keep the exact
  amounts.
- Text columns share the width that is left, fairly: a column that needs less than an equal
  share keeps its full width, the others split the rest, none narrower than MIN_TEXT.
  Prose (values with spaces: descriptions, reasons) wraps at words, so every word stays
  readable. Names (ARNs, paths, identifiers) are shortened in the middle with `…`: the row
  stays one line, and both the start (`arn:aws:iam::123456789012:`) and the distinctive end
  (`role/Admin`) remain, where wrapping a name would break it mid-word over several lines.
- Only a terminal's width is a limit (`width=None`: none): written to a pipe or a file, a
  table keeps every value whole. When even the narrowest layout is wider than the terminal,
  each row is drawn as a record, a field a line, every value whole (psql's expanded
  display), and `Table.overflow` says by how much it did not fit, for the caller to say so
  on stderr.
- Control characters are shown escaped (`\\n`, `\\x1b`): a logged value can neither move the
  cursor nor recolour the terminal, and a row stays a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from functools import cached_property
from typing import Any
from uuid import UUID

from ctlake.text import cells, chop, shorten_middle, usd, visible, wrap_words

SEP = "  "
MIN_TEXT = 16  # a text column is never made narrower than this (or its own full width)
NULL = "NULL"
MONEY_SUFFIX = "_usd"

_WHOLE_TYPES = (bool, datetime, date, time, timedelta, UUID)
_WHOLE_TEXT = re.compile(
    r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"  # a UUID
    r"|\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?"  # a time
    r"|\d+"  # an account ID, a number held as text
)
_HEADER_BREAK = re.compile(r"(?<=[_.\-/ ])|(?<=[a-z0-9])(?=[A-Z])")


class Kind(Enum):
    NUMBER = "number"  # right-aligned, never cut
    WHOLE = "whole"  # left-aligned, never cut
    WORDS = "words"  # wrapped at spaces
    NAME = "name"  # shortened in the middle


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    cells: tuple[str, ...]

    @cached_property
    def natural(self) -> int:
        """The width that shows the header and every value on one line."""
        return max([cells(self.header), *map(cells, self.cells)])

    @cached_property
    def narrowest(self) -> int:
        """The width below which a value would be cut (numbers, whole values) or lose
        too much to read (text)."""
        if self.kind in (Kind.NUMBER, Kind.WHOLE):
            pieces = header_pieces(self.header)
            return max([*map(cells, pieces), *map(cells, self.cells)])
        return min(self.natural, MIN_TEXT)


@dataclass(frozen=True)
class Table:
    lines: list[str]
    overflow: int  # how much wider than `width` the narrowest table is; 0 when it fits
    records: bool = False  # drawn a record per row, a field a line, since it did not fit


def render(headers: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None) -> Table:
    """The table of `rows` under `headers`, fitted to `width` characters if one is given.

    A table that cannot fit even at its narrowest would be folded by the terminal into
    lines no one can follow; its rows are drawn as records instead (a field a line, as
    psql's expanded display does), every value whole.
    """
    columns = [column(name, [row[i] for row in rows]) for i, name in enumerate(headers)]
    if not columns:
        return Table([], 0)
    widths = layout(columns, width)
    total = sum(widths) + len(SEP) * (len(widths) - 1)
    overflow = 0 if width is None else max(0, total - width)
    if overflow and rows and width is not None:
        return Table(_record_lines(columns, len(rows), width), overflow, records=True)
    lines = _header_lines(columns, widths)
    lines.append(SEP.join("-" * w for w in widths))
    lines.extend(_body_lines(columns, widths, len(rows)))
    return Table(lines, overflow)


def column(header: str, values: Sequence[Any]) -> Column:
    """A column of values as text, with the kind that decides its alignment and fitting."""
    present = [value for value in values if value is not None]
    numeric = bool(present) and all(_is_number(value) for value in present)
    money = numeric and header.endswith(MONEY_SUFFIX)
    texts = tuple(_text(value, money) for value in values)
    if numeric:
        kind = Kind.NUMBER
    elif present and all(_is_whole(value) for value in present):
        kind = Kind.WHOLE
    elif any(" " in text for text in texts):
        kind = Kind.WORDS
    else:
        kind = Kind.NAME
    return Column(header, kind, texts)


def layout(columns: Sequence[Column], width: int | None) -> list[int]:
    """Each column's width: its natural one when the table fits or `width` is None;
    otherwise numeric and whole columns first wrap their headers (the most saving first),
    then text columns share what is left (never below their narrowest)."""
    widths = [col.natural for col in columns]
    if width is None:
        return widths
    room = width - len(SEP) * (len(columns) - 1)
    excess = sum(widths) - room
    whole = [i for i, col in enumerate(columns) if col.kind in (Kind.NUMBER, Kind.WHOLE)]
    for i in sorted(whole, key=lambda i: columns[i].narrowest - widths[i]):
        if excess <= 0:
            break
        give = min(excess, widths[i] - columns[i].narrowest)
        widths[i] -= give
        excess -= give
    if excess > 0:
        left = room - sum(widths[i] for i in whole)
        _fit_text(columns, widths, left)
    return widths


def _fit_text(columns: Sequence[Column], widths: list[int], room: int) -> None:
    """Share `room` between the text columns. Prose gives way first: wrapping loses no word,
    shortening a name loses part of it. So names keep their full width while the prose can
    still have its narrowest; only then do names share what the prose leaves them."""
    words = [i for i, col in enumerate(columns) if col.kind is Kind.WORDS]
    names = [i for i, col in enumerate(columns) if col.kind is Kind.NAME]
    prose_floor = sum(columns[i].narrowest for i in words)
    if sum(widths[i] for i in names) <= room - prose_floor:
        sharing, room = words, room - sum(widths[i] for i in names)
    else:
        for i in words:
            widths[i] = columns[i].narrowest
        sharing, room = names, room - prose_floor
    wants = [widths[i] for i in sharing]
    shares = fair_shares(wants, [columns[i].narrowest for i in sharing], room)
    for i, share in zip(sharing, shares, strict=True):
        widths[i] = share


def fair_shares(wants: Sequence[int], floors: Sequence[int], room: int) -> list[int]:
    """Split `room` between columns: one that wants less than an equal share gets what it
    wants, the rest split what remains equally; none gets less than its floor."""
    shares = [0] * len(wants)
    left = room
    order = sorted(range(len(wants)), key=lambda k: wants[k])
    for rank, k in enumerate(order):
        equal = left // (len(wants) - rank)
        shares[k] = max(floors[k], min(wants[k], equal))
        left -= shares[k]
    return shares


def header_pieces(header: str) -> list[str]:
    """Where a header may wrap: after `_`, `.`, `-`, `/` or a space, and inside camelCase."""
    return [piece for piece in _HEADER_BREAK.split(header) if piece]


def _header_lines(columns: Sequence[Column], widths: Sequence[int]) -> list[str]:
    """The headers, wrapped to their columns and aligned on their last line."""
    wrapped = [_wrap_header(col.header, w) for col, w in zip(columns, widths, strict=True)]
    height = max(map(len, wrapped))
    padded = [[""] * (height - len(lines)) + lines for lines in wrapped]
    return [
        _join(
            _align(col, lines[row], w)
            for col, lines, w in zip(columns, padded, widths, strict=True)
        )
        for row in range(height)
    ]


def _wrap_header(header: str, width: int) -> list[str]:
    lines: list[str] = []
    for piece in header_pieces(header):
        if lines and cells(lines[-1] + piece.rstrip()) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return [shorten_middle(line.rstrip(), width) for line in lines] or [""]


def _body_lines(columns: Sequence[Column], widths: Sequence[int], count: int) -> Iterator[str]:
    """The rows; when one takes several lines, a blank line parts every row from the next."""
    rows = [
        [_fit_cell(col, col.cells[r], w) for col, w in zip(columns, widths, strict=True)]
        for r in range(count)
    ]
    spaced = any(len(lines) > 1 for row in rows for lines in row)
    for r, row in enumerate(rows):
        if spaced and r:
            yield ""
        for line in range(max(map(len, row))):
            parts = (lines[line] if line < len(lines) else "" for lines in row)
            yield _join(
                _align(col, part, w) for col, part, w in zip(columns, parts, widths, strict=True)
            )


def _record_lines(columns: Sequence[Column], count: int, width: int) -> list[str]:
    """Each row as `-[ n ]` and a line per field: name, then the value wrapped (prose at
    words, anything else at the width), never shortened."""
    label = min(max(cells(col.header) for col in columns), max(width // 3, 1))
    room = max(width - label - len(SEP), 1)
    lines: list[str] = []
    for r in range(count):
        lines.append(f"-[ {r + 1} ]".ljust(width, "-"))
        for col in columns:
            text = col.cells[r]
            wrapped = wrap_words(text, room) if col.kind is Kind.WORDS else list(chop(text, room))
            name = shorten_middle(col.header, label).ljust(label)
            lines.extend(
                (name if i == 0 else " " * label) + SEP + part for i, part in enumerate(wrapped)
            )
    return lines


def _fit_cell(col: Column, text: str, width: int) -> list[str]:
    if col.kind is Kind.WORDS:
        return wrap_words(text, width)
    if col.kind is Kind.NAME:
        return [shorten_middle(text, width)]
    return [text]


def _align(col: Column, text: str, width: int) -> str:
    pad = " " * max(0, width - cells(text))
    return pad + text if col.kind is Kind.NUMBER else text + pad


def _join(parts: Iterator[str]) -> str:
    return SEP.join(parts).rstrip()


def _text(value: Any, money: bool) -> str:
    if value is None:
        return NULL
    if money:
        return usd(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return visible(str(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    if isinstance(value, str):
        return _WHOLE_TEXT.fullmatch(value) is not None
    return isinstance(value, _WHOLE_TYPES)
