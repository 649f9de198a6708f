"""`hubctl render` and `hubctl placement`."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import DirOption, ListOutput, StructuredOutput


@app.command()
def render(
    directory: Path = DirOption,
    out: Path = typer.Option(None, "--out", help="Output directory (default: the hub's renderDir, rendered/)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 4 when the output on disk is stale."),
    output: StructuredOutput = typer.Option("text", "-o", "--output", help="text, json or yaml."),
    hub: str = typer.Option(None, "--hub", metavar="NAME", help="Render only this hub's share, into "
                            "<out>/NAME (a fleet of several hubs; for a CI matrix)."),
) -> None:
    """Render the fleet: Argo CD objects for the hub and manifests for every spoke.

    Writes rendered/hub/ (root Application, AppProjects, cluster registrations, ApplicationSets) and
    rendered/spokes/<cluster>/ (spaces and flows). Each file is replaced atomically and unchanged
    files are not rewritten; a killed render leaves a journal that makes commit, diff and status
    refuse the tree (exit 4) until the next render completes it. Only files a render wrote are
    deleted. With --check nothing is written: the exit code is 4 and the
    differing files are listed when the committed output is stale (a CI gate). A fleet of several
    hubs (hubs/*.yaml) renders one tree per hub, rendered/<hub>/hub/ and rendered/<hub>/spokes/.

    Examples:

        hubctl render

        hubctl render --check -o json     # in CI

        hubctl render --hub us-hub        # one hub's tree, rendered/us-hub/
    """
    from hubctl.base.errors import ExitCode
    from hubctl.cli import console
    from hubctl.usecases.render.run import render_to_disk

    run = render_to_disk(directory, out, check=check, hub=hub)
    ch = run.changes
    if output is not StructuredOutput.text:
        console.structured({"version": 1, "out": str(run.out), "check": check, "stale": ch.dirty,
                            "files": run.files, "placements": run.placements,
                            "added": ch.added, "changed": ch.changed, "removed": ch.removed,
                            "foreign": ch.foreign}, output)
    elif check and ch.dirty:
        for label, paths in (("missing", ch.added), ("differs", ch.changed), ("stale", ch.removed)):
            for rel in paths:
                console.data(f"{label:8} {run.out.name}/{rel}")
    else:
        verb = "is up to date" if check else "rendered"
        console.success(f"{verb}: {run.files} files in {run.out} for "
                        f"{run.placements} placements ({len(ch.added)} added, {len(ch.changed)} "
                        f"changed, {len(ch.removed)} removed, {ch.unchanged} unchanged)")
    if ch.foreign:
        shown = ", ".join(ch.foreign[:5]) + (f" and {len(ch.foreign) - 5} more" if len(ch.foreign) > 5 else "")
        console.warn(f"left {len(ch.foreign)} file(s) in {run.out} that hubctl did not write: {shown}; "
                     "move or delete them (`render --check` and `commit` count them as stale)")
    if check and ch.dirty:
        if output is StructuredOutput.text:
            console.error(f"the render in {run.out} is stale", "run `hubctl render` and commit the result")
        raise typer.Exit(int(ExitCode.STALE))


@app.command()
def placement(
    directory: Path = DirOption,
    explain: tuple[str, str] | None = typer.Option(None, "--explain", metavar="FLOW CLUSTER",
                                                   help="Say why FLOW is or is not placed on CLUSTER."),
    output: ListOutput = typer.Option("text", "-o", "--output", help="text, wide (every cluster named), json, "
                                      "yaml or name (application/NAME lines)."),
) -> None:
    """Show which flow lands on which cluster (the flows x clusters matrix).

    Examples:

        hubctl placement

        hubctl placement -o name | grep payments

        hubctl placement --explain payments-api prod-us-1
    """
    from hubctl.base.errors import UsageError
    from hubctl.cli import console
    from hubctl.cli.placement_view import application_names, explain_placement, matrix_json, matrix_table
    from hubctl.usecases.validate.loader import analyze, load_fleet

    if explain and output is ListOutput.name:
        raise UsageError("-o name lists placements, not an explanation", hint="use -o text, json or yaml")
    if explain:  # answers on an invalid fleet too, naming the problems that make the answer uncertain
        loaded = analyze(directory)
        result = explain_placement(loaded.draft, *explain, loaded.problems, loaded.unresolved)
        if output in (ListOutput.json, ListOutput.yaml):
            console.structured(result, output)
        else:
            console.data(result["text"])
        return
    fleet = load_fleet(directory)
    if output in (ListOutput.json, ListOutput.yaml):
        console.structured(matrix_json(fleet), output)
    elif output is ListOutput.name:
        console.data("\n".join(application_names(fleet)))
    else:
        columns, rows, title, note = matrix_table(fleet, shown=None if output is ListOutput.wide else 12)
        console.table(columns, rows, title=title)
        console.info(note)
