"""The options before the command (`hubctl -C DIR -q --color never COMMAND`) and `hubctl version`.

`-C DIR` works as git's: hubctl runs as if started in DIR, so every relative path of the command (its own
`-C`, `--out`, `--repo`, files) is taken from there; `run()` returns to the first directory afterwards.
"""

from __future__ import annotations

import os
import platform
from enum import StrEnum
from functools import cache
from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import StructuredOutput


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def _show_version(value: bool) -> None:
    if value:
        from hubctl.base.shipped import VERSION as __version__
        from hubctl.cli import console

        console.data(f"hubctl version {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    directory: Path = typer.Option(None, "-C", "--dir", metavar="DIR", show_default=False,
                                   help="Run as if hubctl was started in DIR (as git -C); a command's own "
                                        "-C is then relative to DIR."),
    verbose: int = typer.Option(0, "-v", "--verbose", count=True, show_default=False,
                                 help="Say more on stderr (repeatable)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only warnings and errors on stderr."),
    color: ColorMode = typer.Option(ColorMode.auto, "--color", metavar="WHEN", show_default=False,
                                    help="auto (on a terminal, unless NO_COLOR is set), always or never."),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                 help="Print hubctl's version and exit."),
) -> None:
    """The global options: they apply to every command."""
    from hubctl.base.errors import UsageError
    from hubctl.cli import console

    console.configure(color=color.value, verbosity=-1 if quiet else verbose)
    if directory is not None:
        try:
            os.chdir(directory)
        except OSError as exc:
            raise UsageError(f"cannot change to {str(directory)!r}: {exc.strerror}",
                             hint="pass an existing directory with -C DIR") from None
        console.debug(f"working in {Path.cwd()}")


@app.command("version")
def version(output: StructuredOutput = typer.Option("text", "-o", "--output", help="text, json or yaml.")) -> None:
    """Print the version of hubctl and of what it runs on (as `kubectl version --client`).

    Examples:

        hubctl version -o json
    """
    from hubctl.base.shipped import VERSION as __version__
    from hubctl.cli import console

    if output == "text":
        console.data(f"hubctl version {__version__}")
        return
    console.structured({"version": 1, "hubctl": __version__, "python": platform.python_version(),
                        "platform": f"{platform.system().lower()}/{platform.machine()}"}, output)


def add_to(command) -> None:
    """Let -v, -q and --color follow the command too (`hubctl status --wait -q`), as kubectl's global flags
    do: hidden in the command's help (docs/cli.md, Global options), they set what the global ones set."""
    command.params += _trailing_params()


@cache
def _trailing_params() -> list:
    """Built once: click parameters keep no state of a run (values live in the context)."""
    return typer.main.get_command(_trailing).params


def _verbose(value: int) -> None:
    from hubctl.cli import console

    if value:
        console.configure(verbosity=value)


def _quiet(value: bool) -> None:
    from hubctl.cli import console

    if value:
        console.configure(verbosity=-1)


def _color(value: ColorMode | None) -> None:
    from hubctl.cli import console

    if value:
        console.configure(color=value.value)


_trailing = typer.Typer(add_completion=False)


@_trailing.command()
def _global_options_after_the_command(
    verbose: int = typer.Option(0, "-v", "--verbose", count=True, hidden=True, expose_value=False,
                                callback=_verbose),
    quiet: bool = typer.Option(False, "-q", "--quiet", hidden=True, expose_value=False, callback=_quiet),
    color: ColorMode = typer.Option(None, "--color", metavar="WHEN", hidden=True, expose_value=False,
                                    callback=_color),
) -> None:
    """Never run: its parameters are added to every command."""
