"""Options every command shares, so flags mean the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

DirOption = typer.Option(Path("."), "-C", "--dir", help="The fleet repository (where hubctl.yaml is).",
                         show_default=False)


class TextJson(StrEnum):
    text = "text"
    json = "json"


def output_option(default: str = "text", help_text: str = "Output format."):
    return typer.Option(default, "-o", "--output", help=help_text)


class StructuredOutput(StrEnum):
    text = "text"
    json = "json"
    yaml = "yaml"


class ListOutput(StrEnum):
    """kubectl's output formats for listings: text (a table), wide (more columns), json, yaml and name
    (one `KIND/NAME` a line, for scripts)."""

    text = "text"
    wide = "wide"
    json = "json"
    yaml = "yaml"
    name = "name"
