"""`hubctl validate` and `hubctl schema`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import DirOption, StructuredOutput


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    yaml = "yaml"
    github = "github"


@app.command()
def validate(
    paths: list[Path] = typer.Argument(None, metavar="[PATH]...", show_default=False,
                                       help="Spec files or directories of the fleet to report on (checked in the "
                                       "context of the whole fleet), or one file that holds a whole fleet."),
    directory: Path = DirOption,
    output: ValidateFormat = typer.Option("text", "-o", "--output", help="text, json, yaml or github "
                                   "(annotations)."),
) -> None:
    """Check the fleet's specs and report every problem in one run.

    Problems are sorted by file and line; each names file:line:column, the key path, what is wrong and
    what to do. Exits 0 when the fleet (or the named files) is valid, 3 when it is not.

    Examples:

        hubctl validate

        hubctl validate flows/web.yaml          # only that file's problems, checked against the fleet

        hubctl validate -C fleet/ -o github     # annotations in a GitHub Actions job
    """
    from hubctl.base.errors import ExitCode
    from hubctl.cli import console, report
    from hubctl.usecases.validate.targets import check_paths

    checked = check_paths(directory, paths or [])
    loaded, problems = checked.loaded, checked.problems
    if output is ValidateFormat.json:
        console.data(_json(checked))
    elif output is ValidateFormat.yaml:
        console.structured(json.loads(_json(checked)), output)
    elif output is ValidateFormat.github:
        if problems:
            console.data(report.problems_github(loaded.root, problems))
    elif problems:
        console.data(report.problems_text(loaded.root, problems))
        console.error(report.summary_line(problems), "fix them and run `hubctl validate` again")
    else:
        console.success(_valid_line(checked))
    if checked.elsewhere and output is ValidateFormat.text:
        console.warn(f"{checked.elsewhere} more problem{'s' if checked.elsewhere != 1 else ''} elsewhere in the "
                     "fleet: run `hubctl validate` to see them all")
    if problems:
        raise typer.Exit(int(ExitCode.INVALID))


def _summary(checked) -> dict | None:
    from hubctl.cli.fleetinfo import fleet_summary

    loaded = checked.loaded
    return fleet_summary(loaded.fleet) if loaded.fleet is not None and not loaded.problems else None


def _valid_line(checked) -> str:
    if not checked.whole_fleet:
        files = checked.files
        return f"{', '.join(files)}: valid" if len(files) <= 3 else f"{len(files)} spec files: valid"
    return "fleet is valid: " + ", ".join(f"{n} {k if n != 1 else k.removesuffix('s')}"
                                          for k, n in _summary(checked).items())


def _json(checked) -> str:
    import json

    from hubctl.cli import report

    text = report.problems_json(checked.loaded.root, checked.problems, _summary(checked))
    if checked.whole_fleet:
        return text
    body = json.loads(text)  # the named files: which they are, and how many problems the rest has
    body.update(files=checked.files, elsewhere=checked.elsewhere)
    return json.dumps(body, indent=2, ensure_ascii=False)


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
    from hubctl.cli import console
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
