"""`hubctl flow add|list|remove|promote`: day-2 edits of flows/*.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.cluster import AllowPrune, DryRun, Output, finish
from hubctl.cli.options import DirOption, ListOutput, TextJson, listing_output

flow_app = typer.Typer(help="Add, list, remove flows and promote their versions (edits flows/*.yaml).",
                       no_args_is_help=True)
app.add_typer(flow_app, name="flow")


@flow_app.command("add")
def add(
    name: str = typer.Argument(..., help="The flow name (a DNS label)."),
    space: str = typer.Option(..., "--space", help="The space (tenant) it belongs to."),
    blueprint: str = typer.Option(None, "--blueprint", help="The blueprint it renders."),
    repo: str = typer.Option(None, "--repo", metavar="URL",  # hub emulate's and appset preview's are PATHs
                             help="Or: the Helm repository (with --helm-chart) or Git repository (with --path) it "
                             "deploys from."),
    helm_chart: str = typer.Option(None, "--helm-chart", help="The chart in --repo."),
    path: str = typer.Option(None, "--path", help="The directory of manifests in the Git repository --repo."),
    revision: str = typer.Option(None, "--revision", help="The chart version (Helm, required) or the Git "
                                 "targetRevision (default HEAD)."),
    param: list[str] = typer.Option([], "--param", "-p", help="KEY=VALUE (YAML scalar; dotted keys nest): "
                                    "blueprint params, or Helm values."),
    selector: list[str] = typer.Option([], "--selector", "-l", help="Place on clusters with KEY=VALUE."),
    region: list[str] = typer.Option([], "--region", help="Only these regions (data residency), repeatable."),
    spread: int = typer.Option(None, "--spread", min=1, help="Pick N of the matching clusters."),
    across: str = typer.Option(None, "--across", help="Spread across this label first (e.g. region)."),
    namespace: str = typer.Option(None, "--namespace", help="One of the space's namespaces (default: its first)."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Add a flow: writes flows/NAME.yaml after validating the whole fleet with it.

    A flow renders a blueprint (--blueprint), a Helm chart (--repo --helm-chart --revision VERSION) or the
    manifests at a Git path (--repo --path [--revision REV]); the space's sourceRepos must allow --repo.

    Examples:

        hubctl flow add search-api --space storefront --blueprint http-service \\
        -p image=ghcr.io/example/search:1.0.0 -p replicas=3 -l env=prod --spread 2 --across region

        hubctl flow add loki --space analytics --repo https://grafana.github.io/helm-charts \\
        --helm-chart loki --revision 6.16.0 -p replicas=1 -l region=eu-west
    """
    from hubctl.usecases.ops.flows import flow_add

    finish(lambda: flow_add(directory, name, space=space, blueprint=blueprint, params=param, selector=selector,
                            regions=region, spread=spread, across=across, namespace=namespace, repo=repo,
                            helm_chart=helm_chart, path=path, revision=revision),
           output, dry_run, allow_prune)


@flow_app.command("promote")
def promote(
    name: str = typer.Argument(..., help="The flow."),
    source_env: str = typer.Option(..., "--from", help="The environment whose version moves on."),
    target_env: str = typer.Option(..., "--to", help="The environment that receives it."),
    key: list[str] = typer.Option([], "--key", help="Only this pin: a dotted param path (e.g. image.tag), or "
                                  "source.helm.version / source.git.targetRevision; repeatable."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Promote a flow's version pin (image, tag, version..., or a chart version / git targetRevision) from one
    environment's overrides to the next.

    Shows the value that changes on each cluster of the target environment before writing.

    Example:

        hubctl flow promote payments-api --from staging --to prod --dry-run

        hubctl flow promote dashboards --from staging --to prod --key source.helm.version
    """
    from hubctl.usecases.ops.promote import flow_promote

    finish(lambda: flow_promote(directory, name, source_env, target_env, key), output, dry_run, allow_prune)


@flow_app.command("list")
def list_cmd(directory: Path = DirOption,
             output: ListOutput = listing_output("flow")) -> None:
    """List flows with their space, what they render and the clusters they are placed on.

    Examples:

        hubctl flow list -o json

        hubctl flow list -o name
    """
    from hubctl.cli.options import print_listing
    from hubctl.usecases.ops.flows import flow_list

    print_listing("flow", flow_list(directory), output, flow_table)


def flow_table(rows: list[dict], wide: bool) -> tuple[list, list[list]]:
    from hubctl.cli.table import Column

    columns = [Column("name", whole=True), Column("space", whole=True), Column("source"), Column("clusters")]
    return columns, [[r["name"], r["space"], r["source"], str(len(r["clusters"]))] for r in rows]


@flow_app.command("remove")
def remove(
    name: str = typer.Argument(..., help="The flow."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Remove a flow: deletes its spec (and its name from cordons that keep it) after validating the fleet
    without it. Its Applications go; the prune guard counts the deletions.

    Example:

        hubctl flow remove nightly-report --dry-run --allow-prune
    """
    from hubctl.usecases.ops.flows import flow_remove

    finish(lambda: flow_remove(directory, name), output, dry_run, allow_prune)
