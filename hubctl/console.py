"""The one place that prints. Commands call these; the core never prints.

Colour only on a TTY (rich decides, and honours NO_COLOR / FORCE_COLOR). Data goes to stdout,
diagnostics (info, warnings, errors, progress) to stderr, so `-o json` output stays parseable.
"""

from __future__ import annotations

import json
import sys
from functools import cache


@cache
def out():
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


@cache
def err():
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def data(text: str) -> None:
    """Plain machine- or human-readable output on stdout, printed verbatim."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.stdout.flush()


def print_json(value) -> None:
    data(json.dumps(value, indent=2, sort_keys=False, ensure_ascii=False))


def rich(renderable) -> None:
    """A rich renderable (table, tree) on stdout."""
    out().print(renderable)


def line(markup: str) -> None:
    out().print(markup)


def info(message: str) -> None:
    err().print(message, markup=False)


def success(message: str) -> None:
    err().print(f"[green]{_escape(message)}[/green]")


def warn(message: str) -> None:
    err().print(f"[yellow]warning:[/yellow] {_escape(message)}")


def error(message: str, hint: str = "") -> None:
    err().print(f"[bold red]error:[/bold red] {_escape(message)}")
    if hint:
        err().print(f"  [dim]hint:[/dim] {_escape(hint)}")


def is_tty() -> bool:
    return err().is_terminal


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
