"""Tables as people and scripts read them.

On a terminal a table fits the terminal's width, but never by cutting a name: when the names alone are
wider, the table is as wide as they need and the terminal wraps the line. Piped, it is kubectl's plain
layout: a header line, whitespace-separated columns, whole values, `-` for nothing and lists joined by
commas, so `grep staging-ap-1` and `awk '{print $1}'` work.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GAP = "   "  # between plain columns, as kubectl prints them


@dataclass(frozen=True)
class Column:
    """A table column: `whole` ones (names) are never cut, folded or wrapped."""

    header: str
    whole: bool = False
    style: str = ""


def cell_text(value, sep: str) -> str:
    """A cell as one string: lists joined by `sep`; rich Text by its plain text; control characters shown
    as escapes (a cell may hold what a hub sent: it must not drive the terminal)."""
    if isinstance(value, (list, tuple)):
        text = sep.join(str(v) for v in value)
    else:
        text = value.plain if hasattr(value, "plain") else ("" if value is None else str(value))
    return visible(text)


def visible(text: str) -> str:
    """`text` with control characters other than tab and newline written as `\\xNN` escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in "\t\n" or not unicodedata.category(c).startswith("C")
                   else c.encode("unicode_escape").decode("ascii") for c in text)


def plain(columns: list[Column], rows: list[list]) -> str:
    """Whitespace-separated columns with whole values (no styles, no trailing blanks)."""
    table = [[c.header.upper() for c in columns]]
    for row in rows:
        table.append([" ".join(cell_text(v, ",").split()) or "-" for v in row])
    widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
    lines = [GAP.join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in table]
    return "\n".join(lines)


def rich_table(columns: list[Column], rows: list[list], title: str | None = None, group: int = 0):
    """A rich Table for a terminal; the first `group` columns show a value only where it changes."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(box=None, pad_edge=False, header_style="bold", title=title, title_justify="left",
                 title_style="")
    for column in columns:
        grid.add_column(column.header.upper(), no_wrap=column.whole, overflow="fold", style=column.style)
    previous: list[str] = []
    for row in rows:
        texts = [Text(cell_text(v, ", "), style=v.style if isinstance(v, Text) else "") for v in row]  # no markup
        shown = list(texts)
        for i in range(min(group, len(row))):
            key = [t.plain for t in texts[: i + 1]]
            if previous[: i + 1] == key:
                shown[i] = Text("")
        previous = [t.plain for t in texts]
        grid.add_row(*shown)
    return Fitted(grid)


class Fitted:
    """A table laid out for the terminal: whole columns at their full width, the others sharing what is
    left (folding their text; their headers too only when they cannot fit whole); wider than the terminal
    only when the names need it (rich itself would cut them)."""

    MIN_WIDTH = 4

    def __init__(self, renderable):
        self.renderable = renderable

    def __rich_console__(self, console, options):
        from rich.measure import Measurement

        grid = self.renderable
        wide = options.update(width=100_000)
        natural = [max([Measurement.get(console, wide, column.header).maximum] +
                       [Measurement.get(console, wide, cell).maximum for cell in column._cells])
                   for column in grid.columns]
        gaps = 2 * (len(grid.columns) - 1)  # padding (0, 1) without edges: one blank each side of a border
        whole, room = [c.no_wrap for c in grid.columns], options.max_width - gaps
        headers = [max(self.MIN_WIDTH, Measurement.get(console, wide, c.header).maximum) for c in grid.columns]
        widths = fitted_widths(natural, whole, room, headers)
        if sum(widths) > room:  # whole headers do not fit: fold them too, rather than go past the edge
            widths = fitted_widths(natural, whole, room, [self.MIN_WIDTH] * len(widths))
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width
        yield from console.render(grid, options.update(width=max(sum(widths) + gaps, options.max_width)))


def fitted_widths(natural: list[int], whole: list[bool], room: int, least: list[int]) -> list[int]:
    """Column widths within `room`: whole columns keep their natural width; the others are capped at one
    level, the highest that fits, but none below its `least` (or its natural width when smaller)."""

    def at(level: int) -> list[int]:
        return [nat if keep else min(nat, max(level, low)) for nat, keep, low in zip(natural, whole, least,
                                                                                        strict=True)]

    low, high = 0, max(natural, default=0)
    while low < high:  # the highest level whose widths fit (level 0: every column at its least)
        mid = (low + high + 1) // 2
        low, high = (mid, high) if sum(at(mid)) <= room else (low, mid - 1)
    return at(low)
