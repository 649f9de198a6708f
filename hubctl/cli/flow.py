"""`hubctl flow add|promote`: day-2 edits of flows/*.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli import app
from hubctl.cli.cluster import AllowPrune, DryRun, Output, finish
from hubctl.cli.options import DirOption, TextJson

flow_app = typer.Typer(help="Add flows and promote their versions (edits flows/*.yaml).", no_args_is_help=True)
app.add_typer(flow_app, name="flow")


@flow_app.command("add")
def add(
    name: str = typer.Argument(..., help="The flow name (a DNS label)."),
    space: str = typer.Option(..., "--space", help="The space (tenant) it belongs to."),
    blueprint: str = typer.Option(..., "--blueprint", help="The blueprint it renders."),
    param: list[str] = typer.Option([], "--param", "-p", help="KEY=VALUE (YAML scalar; dotted keys nest)."),
    selector: list[str] = typer.Option([], "--selector", "-l", help="Place on clusters with KEY=VALUE."),
    region: list[str] = typer.Option([], "--region", help="Only these regions (data residency), repeatable."),
    spread: int = typer.Option(None, "--spread", min=1, help="Pick N of the matching clusters."),
    across: str = typer.Option(None, "--across", help="Spread across this label first (e.g. region)."),
    namespace: str = typer.Option(None, "--namespace", help="One of the space's namespaces (default: its first)."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Add a flow: writes flows/NAME.yaml after validating the whole fleet with it.

    Example:

        hubctl flow add search-api --space storefront --blueprint http-service
        -p image=ghcr.io/example/search:1.0.0 -p replicas=3 -l env=prod --spread 2 --across region
    """
    from hubctl.ops.flows import flow_add

    plan = flow_add(directory, name, space=space, blueprint=blueprint, params=param, selector=selector,
                    regions=region, spread=spread, across=across, namespace=namespace)
    finish(plan, output, dry_run, allow_prune)


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
    from hubctl.ops.promote import flow_promote

    finish(flow_promote(directory, name, source_env, target_env, key), output, dry_run, allow_prune)
