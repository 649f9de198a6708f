"""hubctl.cli.table: plain columns for pipes, fitted tables for terminals; hostile cells stay inert."""

from __future__ import annotations

import io
import random

from rich.console import Console
from rich.text import Text

from hubctl.cli.table import Column, fitted_widths, plain, rich_table

ESC = "\x1b"


def render(table, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, force_terminal=True, color_system=None, soft_wrap=True,
            _environ={}).print(table)  # as hubctl.cli.console's: lines wider than the terminal are not cropped
    return buffer.getvalue()


def test_plain_is_whole_whitespace_separated_columns():
    text = plain([Column("name", whole=True), Column("labels"), Column("note")],
                 [["staging-ap-1", ["env=staging", "tier=gold"], ""], ["a", [], "two  words\nand a line"]])
    assert text.splitlines() == ["NAME           LABELS                  NOTE",
                                 "staging-ap-1   env=staging,tier=gold   -",
                                 "a              -                       two words and a line"]


def test_a_cell_cannot_drive_the_terminal():
    hostile = "ok\x1b]0;owned\x07\x1b[2J\x9b31m"
    assert ESC not in plain([Column("message")], [[hostile]]) and "\\x1b]0;owned\\x07" in plain(
        [Column("message")], [[hostile]])
    shown = render(rich_table([Column("message")], [[Text(hostile, style="red")]]), 80)
    assert ESC not in shown and "\x9b" not in shown and "\\x1b[2J" in shown


def test_names_are_never_cut_and_the_rest_folds():
    long = "staging-ap-southeast-region-1"
    table = rich_table([Column("name", whole=True), Column("labels")],
                       [[long, ["env=staging", "tier=gold", "pci=true"]]])
    narrow = render(table, 40).splitlines()
    assert narrow[1].startswith(long + "  ") and max(map(len, narrow)) <= 40
    assert render(rich_table([Column("name", whole=True), Column("x")], [[long, "y"]]), 20).splitlines()[1] \
        .startswith(long)  # wider than the terminal rather than cut


def test_grouped_columns_show_a_value_where_it_changes():
    rows = [["a", "f", "c1"], ["a", "f", "c2"], ["a", "g", "c1"], ["b", "g", "c1"]]
    lines = render(rich_table([Column("space"), Column("flow"), Column("cluster")], rows, group=2), 80)
    assert [line.split() for line in lines.splitlines()[1:]] == [["a", "f", "c1"], ["c2"], ["g", "c1"],
                                                                 ["b", "g", "c1"]]


def test_fitted_widths_keep_whole_columns_and_fit_when_they_can():
    rng = random.Random(15)
    for _ in range(2000):
        n = rng.randint(1, 8)
        natural = [rng.randint(1, 40) for _ in range(n)]
        whole = [rng.random() < 0.3 for _ in range(n)]
        least = [min(rng.randint(1, 10), w) for w in natural]
        room = rng.randint(10, 200)
        widths = fitted_widths(natural, whole, room, least)
        assert all(w == nat for w, nat, keep in zip(widths, natural, whole, strict=True) if keep)
        assert all(min(nat, low) <= w <= nat for w, nat, low in zip(widths, natural, least, strict=True))
        floor = sum(nat if keep else min(nat, low) for nat, keep, low in zip(natural, whole, least, strict=True))
        assert sum(widths) <= room or sum(widths) == floor
