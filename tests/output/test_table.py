"""The table renderer: numbers never cut, names shortened in the middle, prose wrapped,
records when nothing else fits, and no limit at all when no terminal is there."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from ctlake.table import Kind, column, fair_shares, render
from ctlake.text import cells, shorten_middle, usd

# 90 characters: the account at the start and the role at the end are what tell ARNs apart.
ARN = "arn:aws:iam::123456789012:role/" + "service-role/" + "x" * 35 + "/role/Admin"
assert len(ARN) == 90


def widest(lines: list[str]) -> int:
    return max(map(cells, lines))


def test_a_90_character_arn_in_80_columns_keeps_its_start_and_its_end() -> None:
    table = render(["rank", "principal"], [(1, ARN), (2, "arn:aws:iam::1:user/bob")], 80)
    assert table.overflow == 0 and widest(table.lines) <= 80
    row = table.lines[2]
    assert row.startswith("   1  arn:aws:iam::123456789012:role/")
    assert row.endswith("/role/Admin")
    assert "…" in row and cells(row) == 80


def test_numbers_of_twelve_digits_are_never_cut_and_line_up_on_the_right() -> None:
    rows = [(123456789012, 5, "a" * 60), (7, 123456789012, "b" * 60)]
    table = render(["bytes", "management_events", "name"], rows, 44)
    assert table.lines == [
        "               management_",
        "       bytes        events  name",
        "------------  ------------  ----------------",
        "123456789012             5  aaaaaaa…aaaaaaaa",
        "           7  123456789012  bbbbbbb…bbbbbbbb",
    ]


def test_prose_wraps_at_words_and_every_word_stays() -> None:
    text = "Rolling-window counts and 7-day baselines per minute, one row per series"
    table = render(["model", "description"], [("minute_baselines", text), ("x", "short")], 44)
    assert table.lines == [
        "model             description",
        "----------------  --------------------------",
        "minute_baselines  Rolling-window counts and",
        "                  7-day baselines per",
        "                  minute, one row per series",
        "",
        "x                 short",
    ]


def test_names_keep_their_width_while_the_prose_can_wrap() -> None:
    name = "network_activity_event_per_100k"
    table = render(["setting", "origin"], [(name, "default: AWS CloudTrail pricing page")], 52)
    assert table.lines[2:] == [
        f"{name}  default: AWS",
        " " * 33 + "CloudTrail pricing",
        " " * 33 + "page",
    ]


def test_a_table_that_cannot_fit_shows_each_row_as_a_record_whole() -> None:
    headers = [f"column_{n}" for n in range(8)]
    rows = [tuple(f"value-{n}-" + "z" * 12 for n in range(8)), tuple(range(8))]
    table = render(headers, rows, 60)
    assert table.records and table.overflow > 0
    assert widest(table.lines) <= 60
    assert table.lines[:3] == [
        "-[ 1 ]" + "-" * 54,
        "column_0  value-0-zzzzzzzzzzzz",
        "column_1  value-1-zzzzzzzzzzzz",
    ]
    assert "column_7  7" in table.lines


def test_without_a_width_every_value_is_whole_and_headers_stay_on_one_line() -> None:
    table = render(["principal", "management_events"], [(ARN, 3)], None)
    assert table.lines == [
        "principal" + " " * 81 + "  management_events",
        "-" * 90 + "  -----------------",
        ARN + "                  3",
    ]
    assert table.overflow == 0 and not table.records


def test_money_columns_show_dollars_and_cents() -> None:
    rows = [(Decimal("5.355000"), 0.878601, 1234.567), (None, 0.0, -0.5)]
    table = render(["lake_usd", "insights_usd", "total_usd"], rows, None)
    assert table.lines[2:] == [
        "   $5.36         $0.88  $1,234.57",
        "    NULL         $0.00     -$0.50",
    ]


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0.878601, "$0.88"),
        (5.355, "$5.36"),  # half up, as the decimal written, not its binary neighbour
        (Decimal("0.004999"), "$0.00"),
        (1234567.891, "$1,234,567.89"),
        (-0.005, "-$0.01"),
        (0, "$0.00"),
    ],
)
def test_usd_rounds_half_up_to_the_cent(amount: float | Decimal, shown: str) -> None:
    assert usd(amount) == shown


def test_control_characters_are_shown_escaped() -> None:
    table = render(["userAgent"], [("evil\x1b[31m\nagent\u202e",)], None)
    assert table.lines[2] == "evil\\x1b[31m\\nagent\\u202e"


def test_times_ids_and_switches_are_whole_and_null_is_spelled_out() -> None:
    when = datetime(2024, 5, 1, 12, 30)
    values = [when, "9f1c0e62-0d4e-4b5b-9d7c-1f2e3a4b5c6d", "2024-05-01T12:00:00Z", True]
    assert [column("c", [v, None]).kind for v in values] == [Kind.WHOLE] * 4
    assert column("c", ["arn:aws:iam::1:user/a"]).kind is Kind.NAME
    assert column("c", ["two words"]).kind is Kind.WORDS
    assert column("c", [True, None]).cells == ("true", "NULL")


def test_a_uuid_is_not_cut_even_when_the_table_is_tight() -> None:
    uuid = "9f1c0e62-0d4e-4b5b-9d7c-1f2e3a4b5c6d"
    table = render(["sharedEventID", "name"], [(uuid, "n" * 40)], 60)
    assert table.lines[2].startswith(uuid + "  ")


def test_shorten_middle_counts_terminal_cells_and_prefers_to_cut_after_a_separator() -> None:
    assert shorten_middle("日本語のテキストです", 9) == "日本…です"
    assert cells("日本…です") == 9
    assert shorten_middle("arn:aws:sts::123456789012:assumed-role/Admin/alice", 30) == (
        "arn:aws:sts::…role/Admin/alice"
    )
    assert shorten_middle("short", 9) == "short"


def test_fair_shares_give_small_columns_what_they_need_and_split_the_rest() -> None:
    assert fair_shares([5, 40, 60], [5, 10, 10], 50) == [5, 22, 23]
    assert fair_shares([30, 30], [16, 16], 20) == [16, 16]  # floors win: the table overflows


def test_a_value_that_fits_keeps_its_spaces() -> None:
    table = render(["reason"], [("two  spaces\tand a tab",)], None)
    assert table.lines[2] == "two  spaces\\tand a tab"
