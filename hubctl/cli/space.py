"""`hubctl space add|list`: day-2 edits of spaces/*.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli import app
from hubctl.cli.cluster import AllowPrune, DryRun, Output, finish
from hubctl.cli.options import DirOption, TextJson

space_app = typer.Typer(help="Add and list spaces, the tenants (edits spaces/*.yaml).", no_args_is_help=True)
app.add_typer(space_app, name="space")


@space_app.command("add")
def add(
    name: str = typer.Argument(..., help="The space name (a DNS label)."),
    owner: list[str] = typer.Option(..., "--owner", help="A group (OIDC) that owns the space; repeatable."),
    viewer: list[str] = typer.Option([], "--viewer", help="A group that may view it; repeatable."),
    namespace: list[str] = typer.Option([], "--namespace", help="One of its namespaces (default: NAME); "
                                        "repeatable."),
    source_repo: list[str] = typer.Option([], "--source-repo", help="A repository (glob) its Helm and Git flows "
                                          "may use; repeatable."),
    selector: list[str] = typer.Option([], "--selector", "-l", help="Run only on clusters with KEY=VALUE."),
    description: str = typer.Option(None, "--description", help="One line on what the space is for."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Add a space (tenant): writes spaces/NAME.yaml after validating the whole fleet with it.

    Example:

        hubctl space add search --owner team-search --namespace search
        --source-repo 'https://git.example.com/search/*' -l region=eu-west
    """
    from hubctl.ops.spaces import space_add

    finish(lambda: space_add(directory, name, owners=owner, viewers=viewer, namespaces=namespace,
                             source_repos=source_repo, selector=selector, description=description),
           output, dry_run, allow_prune)


@space_app.command("list")
def list_cmd(directory: Path = DirOption, output: TextJson = Output) -> None:
    """List spaces with their namespaces, owners, flows, the clusters they run on and dedicated clusters.

    Example:

        hubctl space list -o json
    """
    from rich.table import Table

    from hubctl import console
    from hubctl.ops.spaces import space_list

    rows = space_list(directory)
    if output is TextJson.json:
        console.print_json({"version": 1, "spaces": rows})
        return
    table = Table(header_style="bold", title=f"{len(rows)} spaces", title_justify="left")
    for column in ("name", "namespaces", "owners", "flows", "clusters", "dedicated"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r["name"], ",".join(r["namespaces"]), ",".join(r["owners"]), str(len(r["flows"])),
                      str(len(r["clusters"])), ",".join(r["dedicated"]))
    console.rich(table)
