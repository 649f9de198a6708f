"""`hubctl init`."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli import app


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), metavar="DIR", help="Where to create the fleet (created if missing)."),
    force: bool = typer.Option(False, "--force", help="Write into a directory that is not empty."),
) -> None:
    """Scaffold a small fleet repository that validates: hubctl.yaml, one cluster, space and flow.

    Examples:

        hubctl init my-fleet && hubctl validate -C my-fleet
    """
    from hubctl import console
    from hubctl.scaffold import scaffold

    written = scaffold(directory, force=force)
    for path in written:
        console.info(f"created {path}")
    console.success(f"fleet scaffolded in {directory}; next: hubctl validate -C {directory}")
