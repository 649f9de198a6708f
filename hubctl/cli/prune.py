"""`hubctl prune`: delete the orphaned Applications whose removal a guarded commit allowed."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import (
    CaFileOption,
    ContextOption,
    DirOption,
    InsecureOption,
    KubeconfigOption,
    NamespaceOption,
    ServerOption,
    SourceOption,
    TokenFileOption,
    UsernameOption,
    hub_connection,
    output_option,
)


@app.command("prune")
def prune(
    fleet_dir: Path = DirOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan; delete nothing."),
    yes: bool = typer.Option(False, "-y", "--yes", help="Do not ask for confirmation."),
    cascade: bool = typer.Option(True, "--cascade/--no-cascade",
                                 help="Delete the workloads on the spokes too (default), or leave them."),
    revision: str = typer.Option(None, "--revision", help="Deployed commit (default: head of the deploy branch)."),
    timeout: str = typer.Option("10m", "--timeout", help="Deadline for the whole run: 90s, 10m, 1h."),
    flow: str = typer.Option(None, "--flow", help="Only orphans of this flow."),
    cluster: str = typer.Option(None, "--cluster", help="Only orphans on this cluster."),
    space: str = typer.Option(None, "--space", help="Only orphans of this space."),
    source: str = SourceOption, server: str = ServerOption, token_file: str = TokenFileOption,
    username: str = UsernameOption, kubeconfig: str = KubeconfigOption, context: str = ContextOption,
    namespace: str = NamespaceOption, insecure: bool = InsecureOption, ca_file: str = CaFileOption,
    output: str = output_option(help_text="text or json (docs/status.md, \"hubctl prune\").", choices="text|json"),
) -> None:
    """Delete orphaned Applications whose removal a hubctl commit allowed (Hubctl-Allowed-Removal).

    Orphans no trailer names are left alone and stay drift (exit 9). Needs permission to delete
    Applications on the hub.

    Examples:

        hubctl prune --dry-run

        hubctl prune --yes -o json
    """
    from hubctl.base.errors import UsageError
    from hubctl.usecases.prune.prune import prune_fleet
    from hubctl.usecases.status.service import StatusOptions, parse_duration
    from hubctl.usecases.status.status import Filters

    if output not in ("text", "json"):
        raise UsageError(f"unknown output format {output!r}", hint="use text or json")
    options = StatusOptions(fleet_dir, revision, False, parse_duration(timeout), Filters(flow, space, cluster),
                            *hub_connection(source, server, token_file, username, kubeconfig, context, namespace,
                                            insecure, ca_file))
    result = prune_fleet(options, dry_run=dry_run, cascade=cascade, confirm=lambda items: yes or _ask(items))
    _print(result, output)
    if result.exit_code:
        raise SystemExit(int(result.exit_code))


def _ask(items) -> bool:
    """Confirmation on a terminal, as `argocd app delete` asks; elsewhere --yes is required."""
    import sys

    from hubctl.base.errors import UsageError

    if not sys.stdin.isatty():
        raise UsageError(f"{len(items)} Application{'s' if len(items) != 1 else ''} would be deleted; "
                         "not asking on a non-interactive input", hint="pass --yes (or --dry-run to see the plan)")
    names = ", ".join(item.name for item in items)
    return typer.confirm(f"Delete {names} and their workloads on the spokes?", default=False, err=True)


def _print(result, output: str) -> None:
    from hubctl.cli import console

    if output == "json":
        console.print_json(_json(result))
        return
    if not result.items:
        console.data("no orphaned Applications")
        return
    for item in result.items:
        verb = {"planned": "would delete" if result.dry_run else "deleting", "deleted": "deleted",
                "deleting": "deleting", "kept": "kept"}[item.result]
        console.data(f"{verb} application {item.name} ({item.space}/{item.flow} on {item.cluster}): {item.reason}")
    kept = sum(item.result == "kept" for item in result.items)
    if kept:
        console.data(f"{kept} orphaned Application{'s' if kept != 1 else ''} left: drift")


def _json(result) -> dict:
    return {"apiVersion": "hubctl.io/v1alpha1", "kind": "Prune", "revision": result.revision,
            "dryRun": result.dry_run, "cascade": result.cascade, "exitCode": int(result.exit_code),
            "applications": [{"name": i.name, "space": i.space, "flow": i.flow, "cluster": i.cluster,
                              "result": i.result, "allowedBy": i.allowed_by or None} for i in result.items]}
