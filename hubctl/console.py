"""The one place that prints. Commands call these; the core never prints.

Colour only on a TTY (rich decides, and honours NO_COLOR / FORCE_COLOR). Data goes to stdout,
diagnostics (info, warnings, errors, progress) to stderr, so `-o json` output stays parseable.

Every character printed passes through `hubctl.redact` (docs/security.md, Credentials): the text of a
renderable is scrubbed before rich lays it out (a table cell that wraps would split a secret across lines),
and both consoles write through a redacting stream that catches whatever else reaches them.
"""

from __future__ import annotations

import json
import sys
from functools import cache

from hubctl.redact import redact


class RedactingStream:
    """A text stream that writes to `sys.<name>` (looked up on every write: tests swap it) with every known
    credential removed."""

    def __init__(self, name: str):
        self._name = name

    @property
    def stream(self):
        return getattr(sys, self._name)

    def write(self, text: str) -> int:
        return self.stream.write(redact(text))

    def __getattr__(self, attr: str):
        return getattr(self.stream, attr)


@cache
def out():
    from rich.console import Console

    return Console(file=RedactingStream("stdout"), soft_wrap=True, highlight=False)


@cache
def err():
    from rich.console import Console

    return Console(file=RedactingStream("stderr"), soft_wrap=True, highlight=False)


def data(text: str) -> None:
    """Plain machine- or human-readable output on stdout, printed verbatim (credentials removed)."""
    text = redact(text)
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.stdout.flush()


def print_json(value) -> None:
    data(json.dumps(value, indent=2, sort_keys=False, ensure_ascii=False))


def rich(renderable) -> None:
    """A rich renderable (table, tree) on stdout."""
    out().print(scrubbed(renderable))


def line(markup: str) -> None:
    out().print(redact(markup))


def info(message: str) -> None:
    err().print(redact(message), markup=False)


def success(message: str) -> None:
    err().print(f"[green]{_escape(message)}[/green]")


def warn(message: str) -> None:
    err().print(f"[yellow]warning:[/yellow] {_escape(message)}")


def error(message: str, hint: str = "") -> None:
    err().print(f"[bold red]error:[/bold red] {_escape(message)}")
    if hint:
        err().print(f"  [dim]hint:[/dim] {_escape(hint)}")


def traceback(exc: BaseException) -> None:
    """The traceback of `exc` (with its causes) on stderr, credentials removed (HUBCTL_DEBUG=1)."""
    import traceback as tb

    stream = RedactingStream("stderr")
    stream.write("".join(tb.format_exception(exc)))
    stream.flush()


def is_tty() -> bool:
    return err().is_terminal


def scrubbed(renderable):
    """`renderable` with credentials removed from its text before layout: strings, rich Text, the cells,
    headers and titles of tables, and what containers (Group, Padding, Panel, wrappers) hold."""
    from rich.table import Table
    from rich.text import Text

    if isinstance(renderable, str):
        return redact(renderable)
    if isinstance(renderable, Text):
        plain = redact(renderable.plain)
        return renderable if plain == renderable.plain else Text(plain, style=renderable.style)
    if isinstance(renderable, Table):
        renderable.title, renderable.caption = _maybe(renderable.title), _maybe(renderable.caption)
        for column in renderable.columns:
            column.header, column.footer = scrubbed(column.header), scrubbed(column.footer)
            column._cells[:] = [scrubbed(cell) for cell in column._cells]
        return renderable
    if isinstance(getattr(renderable, "renderables", None), list):
        renderable.renderables[:] = [scrubbed(child) for child in renderable.renderables]
    elif hasattr(renderable, "renderable"):
        renderable.renderable = scrubbed(renderable.renderable)
    return renderable


def _maybe(value):
    return scrubbed(value) if value is not None else None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(redact(text))
