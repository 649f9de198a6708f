"""The one place that prints. Commands call these; the core never prints.

Colour only on a TTY, unless `--color always|never` or the environment says otherwise (`configure`):
NO_COLOR turns off every style, bold and dim included, FORCE_COLOR turns them on. Data goes to stdout,
diagnostics (info, warnings, errors, progress) to stderr, so `-o json` output stays parseable. `-q` hides
info and success lines, `-v` shows debug lines; warnings and errors always show.

Every character printed passes through `hubctl.base.redact` (docs/security.md, Credentials): the text of a
renderable is scrubbed before rich lays it out (a table cell that wraps would split a secret across lines),
and both consoles write through a redacting stream that catches whatever else reaches them.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache

from hubctl.base.redact import redact

_settings = {"color": "auto", "verbosity": 0}


def configure(color: str | None = None, verbosity: int | None = None) -> None:
    """Set the colour mode (auto, always, never) and verbosity (-1 quiet, 0, 1+ verbose) of this run;
    None keeps the current one."""
    _settings.update({k: v for k, v in (("color", color), ("verbosity", verbosity)) if v is not None})
    out.cache_clear()
    err.cache_clear()


def color_mode() -> str:
    """always or never, or auto (colour on a TTY): --color wins over NO_COLOR, which wins over FORCE_COLOR
    (https://no-color.org: a command-line flag overrides the variable)."""
    mode = _settings["color"]
    if mode == "auto" and os.environ.get("NO_COLOR"):
        return "never"
    if mode == "auto" and os.environ.get("FORCE_COLOR"):
        return "always"
    return mode


def verbosity() -> int:
    return _settings["verbosity"]


def _console(name: str):
    from rich.console import Console

    mode = color_mode()
    # never: no colour system, so rich writes no style at all (bold and dim included); a terminal stays a
    # terminal (the live view of `status --wait` still redraws)
    styles = {"never": {"color_system": None, "no_color": True}, "always": {"force_terminal": True}}.get(mode, {})
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}  # decided above
    return Console(file=RedactingStream(name), soft_wrap=True, highlight=False, _environ=environ, **styles)


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
    return _console("stdout")


@cache
def err():
    return _console("stderr")


def data(text: str) -> None:
    """Plain machine- or human-readable output on stdout, printed verbatim (credentials removed)."""
    text = redact(text)
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.stdout.flush()


def print_json(value) -> None:
    document(value, lambda v: json.dumps(v, indent=2, sort_keys=False, ensure_ascii=False))


def document(value, serialize) -> None:
    """`serialize(value)` (JSON or YAML text) on stdout, credentials removed from the values rather than
    from the text: replacing one in the text can leave it unparsable (`name: [REDACTED]-eu-1` is not
    YAML) and misses one the serializer escaped."""
    from hubctl.base.redact import needs_tree_redaction, redact_tree

    text = serialize(value)
    data(serialize(redact_tree(value)) if needs_tree_redaction(text) else text)


def rich(renderable) -> None:
    """A rich renderable (table, tree) on stdout."""
    out().print(scrubbed(renderable))


def line(markup: str) -> None:
    out().print(redact(markup))


def info(message: str) -> None:
    if verbosity() >= 0:
        err().print(redact(message), markup=False)


def debug(message: str) -> None:
    """A line for `-v`: what hubctl is doing, on stderr."""
    if verbosity() >= 1:
        err().print(redact(message), markup=False, style="dim")


def success(message: str) -> None:
    if verbosity() >= 0:
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
    """Is stderr a terminal (live views, progress)? The colour mode does not change the answer."""
    return _isatty(sys.stderr)


def stdout_is_tty() -> bool:
    """Is stdout a terminal (tables laid out for a person rather than for grep and awk)?"""
    return _isatty(sys.stdout)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # a closed or replaced stream is no terminal
        return False


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


def table(columns, rows: list[list], title: str | None = None, group: int = 0) -> None:
    """A table on stdout (hubctl.cli.table): fitted to a terminal, plain whitespace-separated columns when piped.

    Piped, the title goes to stderr so stdout holds only the header and the rows.
    """
    from hubctl.cli import table as tables

    if stdout_is_tty():
        rich(tables.rich_table(columns, rows, title, group))
        return
    if title:
        info(title)
    data(tables.plain(columns, [[redact(tables.cell_text(v, ",")) for v in row] for row in rows]))


def structured(value, output: str) -> None:
    """`value` as `-o json` or `-o yaml` on stdout (the same keys either way)."""
    if output == "yaml":
        from hubctl.engines.yaml.yamlio import dump

        document(value, dump)
    else:
        print_json(value)
