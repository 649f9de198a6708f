"""`hubctl init`."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import StructuredOutput


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), metavar="DIR", help="Where to create the fleet (created if missing)."),
    force: bool = typer.Option(False, "--force", help="Write into a directory that is not empty."),
    output: StructuredOutput = typer.Option("text", "-o", "--output", help="text, json or yaml."),
) -> None:
    """Scaffold a small fleet repository that validates: hubctl.yaml, one cluster, space and flow.

    Examples:

        hubctl init my-fleet && hubctl validate -C my-fleet
    """
    from hubctl.cli import console
    from hubctl.cli.scaffold import SCAFFOLD_BRANCH, scaffold

    written = scaffold(directory, force=force)
    if output is not StructuredOutput.text:
        console.structured({"version": 1, "directory": str(directory), "created": [str(p) for p in written]},
                           output)
        return
    for path in written:
        console.info(f"created {path}")
    from hubctl.usecases.commit.deploy import fleet_repository

    if fleet_repository(directory.resolve()) is None:  # diff and commit need one; on the branch the hub syncs
        console.success(f"fleet scaffolded in {directory}; next: git -C {directory} init -b {SCAFFOLD_BRANCH} "
                        f"(the branch hubctl.yaml says the hub syncs), then hubctl validate -C {directory}")
    else:
        console.success(f"fleet scaffolded in {directory}; next: hubctl validate -C {directory}")
