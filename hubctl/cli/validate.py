"""`hubctl validate` and `hubctl schema`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from hubctl.cli import app
from hubctl.cli.options import DirOption, StructuredOutput


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    yaml = "yaml"
    github = "github"


@app.command()
def validate(
    directory: Path = DirOption,
    output: ValidateFormat = typer.Option("text", "-o", "--output", help="text, json, yaml or github "
                                   "(annotations)."),
) -> None:
    """Check the fleet's specs and report every problem in one run.

    Problems are sorted by file and line; each names file:line:column, the key path, what is wrong and
    what to do. Exits 0 when the fleet is valid, 3 when it is not.

    Examples:

        hubctl validate

        hubctl validate -C fleet/ -o github     # annotations in a GitHub Actions job
    """
    from hubctl import console, report
    from hubctl.errors import ExitCode
    from hubctl.fleetinfo import fleet_summary
    from hubctl.spec.loader import analyze

    loaded = analyze(directory)
    summary = fleet_summary(loaded.fleet) if loaded.fleet is not None and not loaded.problems else None
    if output is ValidateFormat.json:
        console.data(report.problems_json(loaded.root, loaded.problems, summary))
    elif output is ValidateFormat.yaml:
        console.structured(json.loads(report.problems_json(loaded.root, loaded.problems, summary)), output)
    elif output is ValidateFormat.github:
        if loaded.problems:
            console.data(report.problems_github(loaded.root, loaded.problems))
    elif loaded.problems:
        console.data(report.problems_text(loaded.root, loaded.problems))
        console.error(report.summary_line(loaded.problems), "fix them and run `hubctl validate` again")
    else:
        console.success("fleet is valid: " + ", ".join(f"{n} {k}" for k, n in summary.items()))
    if loaded.problems:
        raise typer.Exit(int(ExitCode.INVALID))


class SchemaKind(StrEnum):
    hub = "hub"
    cluster = "cluster"
    space = "space"
    flow = "flow"
    blueprint = "blueprint"


@app.command()
def schema(kind: SchemaKind = typer.Argument(None, help="hub, cluster, space, flow or blueprint."),
           output: StructuredOutput = typer.Option("text", "-o", "--output", help="text or json (the same for a "
                                                   "schema: it is JSON), or yaml.")) -> None:
    """Print the JSON Schema (2020-12) of a spec kind, or list the kinds.

    Point your editor at it with a modeline on the first line of a spec:

        # yaml-language-server: $schema=./schemas/cluster.json

    Examples:

        hubctl schema cluster > schemas/cluster.json
    """
    from hubctl import console
    from hubctl.spec.schema import schema_text

    if kind is None:
        if output is StructuredOutput.text:
            console.data("\n".join(k.value for k in SchemaKind))
        else:
            console.structured({"version": 1, "kinds": [k.value for k in SchemaKind]}, output)
        return
    if output is StructuredOutput.yaml:
        console.structured(json.loads(schema_text(kind.value)), output)
    else:
        console.data(schema_text(kind.value))
