"""`hubctl appset preview`: the Applications an ApplicationSet generates, offline."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import DirOption

appset_app = typer.Typer(name="appset", help="Work with Argo CD ApplicationSets offline.", no_args_is_help=True)
app.add_typer(appset_app)


def _columns():
    from hubctl.cli.table import Column

    return [Column("appset", whole=True), Column("name", whole=True), Column("project"), Column("destination"),
            Column("source")]


class PreviewFormat(str, Enum):  # noqa: UP042 - like the other commands' choices
    table = "table"
    yaml = "yaml"
    json = "json"
    name = "name"


@appset_app.command("preview")
def preview(
    files: list[Path] = typer.Argument(..., metavar="FILE", help="ApplicationSet YAML files or directories.",
                                       show_default=False),
    clusters: list[Path] = typer.Option(
        [], "--clusters", help="Cluster Secret YAML files or directories (repeatable). Default: the fleet's "
        "rendered cluster registrations (RENDER_DIR/hub/clusters)."),
    repo: Path = typer.Option(None, "--repo", help="Local clone used by git generators."),
    revision: str = typer.Option(None, "--revision", help="Revision for every git generator (default: "
                                 "each generator's own)."),
    output: PreviewFormat = typer.Option("table", "-o", "--output", help="table, yaml, json or name "
                                        "(application/NAME lines)."),
    directory: Path = DirOption,
) -> None:
    """Expand ApplicationSets exactly as Argo CD would, without a hub.

    Runs the generators (list, clusters, git, matrix, merge) against cluster Secrets in files and a local
    git clone, renders the templates (Go templates with Sprig, or fasttemplate), applies templatePatch
    and prints the generated Applications. Exits 3 when a set fails to expand, as the controller would.

    Examples:

        hubctl appset preview rendered/hub/applicationsets/team-a-payments.yaml

        hubctl appset preview appsets/ --clusters clusters.yaml --repo ../gitops --revision main -o yaml
    """
    from hubctl.cli import console
    from hubctl.usecases.preview import preview as run_preview
    from hubctl.usecases.preview import table_rows

    dir_base = directory
    pairs = run_preview([_rel(f, dir_base) for f in files], [_rel(c, dir_base) for c in clusters], dir_base,
                        _rel(repo, dir_base) if repo else None, revision)
    apps = [a for _, a in pairs]
    if output is PreviewFormat.json:
        console.print_json(apps)
    elif output is PreviewFormat.name:
        console.data("\n".join(f"application/{a['metadata']['name']}" for a in apps))
    elif output is PreviewFormat.yaml:
        from hubctl.engines.yaml.yamlio import dump_all

        console.data(dump_all(apps) if apps else "")
    else:
        console.table(_columns(), table_rows(pairs))
        console.info(f"{len(apps)} Application{'s' if len(apps) != 1 else ''}")


def _rel(path: Path, base: Path) -> Path:
    return path if path.is_absolute() or path.exists() else base / path
