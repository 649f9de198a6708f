"""`hubctl space add|list`: day-2 edits of spaces/*.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.cluster import AllowPrune, DryRun, Output, finish
from hubctl.cli.options import DirOption, ListOutput, TextJson, listing_output

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

        hubctl space add search --owner team-search --namespace search \\
        --source-repo 'https://git.example.com/search/*' -l region=eu-west
    """
    from hubctl.usecases.ops.spaces import space_add

    finish(lambda: space_add(directory, name, owners=owner, viewers=viewer, namespaces=namespace,
                             source_repos=source_repo, selector=selector, description=description),
           output, dry_run, allow_prune)


@space_app.command("list")
def list_cmd(directory: Path = DirOption,
             output: ListOutput = listing_output("space")) -> None:
    """List spaces with their namespaces, owners, flows, the clusters they run on and dedicated clusters.

    Examples:

        hubctl space list -o json

        hubctl space list -o name
    """
    from hubctl.cli.options import print_listing
    from hubctl.usecases.ops.spaces import space_list

    print_listing("space", space_list(directory), output, space_table)


def space_table(rows: list[dict], wide: bool) -> tuple[list, list[list]]:
    from hubctl.cli.table import Column

    columns = [Column("name", whole=True), Column("namespaces", whole=True), Column("owners"), Column("flows"),
               Column("clusters"), Column("dedicated", whole=True)]
    return columns, [[r["name"], r["namespaces"], r["owners"], str(len(r["flows"])), str(len(r["clusters"])),
                      r["dedicated"]] for r in rows]
