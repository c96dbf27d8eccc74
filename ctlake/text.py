"""Text for a terminal: how many cells a string takes, and how to make it fit.

What the table renderer (`ctlake.table`) and the cost summary share: width in terminal
cells (East Asian wide characters take two, combining marks none), shortening a name in
the middle so its start and its distinctive end both stay, wrapping prose at words,
showing control characters escaped, and money in dollars and cents.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

ELLIPSIS = "…"
_NAME_BREAK = ":/."  # where a shortened name's start preferably ends
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def usd(amount: float | Decimal | int) -> str:
    """An amount of money as people read it: `$1,234.57`, `-$0.50` (half up to the cent)."""
    exact = Decimal(str(amount))
    if not exact.is_finite():
        return str(amount)
    cents = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{'-' if cents < 0 else ''}${abs(cents):,.2f}"


def cells(text: str) -> int:
    """The terminal cells `text` takes (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(char) for char in text)


def shorten_middle(text: str, width: int) -> str:
    """`text` in at most `width` cells: its start, `…`, its end. The start ends after a `:`,
    `/` or `.` when one is near, and the end gets the room saved."""
    if cells(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    room = width - 1
    head = fit_start(text, room // 2)
    cut = max(head.rfind(mark) for mark in _NAME_BREAK) + 1
    if cut * 2 >= len(head) and cut > 0:
        head = head[:cut]
    return head + ELLIPSIS + fit_end(text, room - cells(head))


def wrap_words(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces (a longer word is split);
    as it is when it fits, spaces and all."""
    if cells(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in chop(word, width):
            if line and cells(line) + 1 + cells(piece) <= width:
                line += " " + piece
            else:
                if line:
                    lines.append(line)
                line = piece
    lines.append(line)
    return lines


def visible(text: str) -> str:
    """`text` with control and format characters escaped (`\\n`, `\\x1b`, `\\u202e`)."""
    if text.isprintable():
        return text
    return "".join(
        (_ESCAPES.get(char) or char.encode("unicode_escape").decode("ascii"))
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        else char
        for char in text
    )


def _char_cells(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit_start(text: str, width: int) -> str:
    """The longest start of `text` within `width` cells."""
    taken = 0
    for end, char in enumerate(text):
        taken += _char_cells(char)
        if taken > width:
            return text[:end]
    return text


def fit_end(text: str, width: int) -> str:
    """The longest end of `text` within `width` cells."""
    return fit_start(text[::-1], width)[::-1]


def chop(word: str, width: int) -> Iterator[str]:
    """`word` in pieces of at most `width` cells (at least one character each)."""
    while cells(word) > width:
        piece = fit_start(word, width) or word[0]
        yield piece
        word = word[len(piece) :]
    yield word
