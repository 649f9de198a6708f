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
    hub: str = typer.Option(None, "--hub", metavar="NAME", help="Only this hub of a fleet of several (then "
                            "--server/--context apply to it)."),
    source: str = SourceOption, server: str = ServerOption, token_file: str = TokenFileOption,
    username: str = UsernameOption, kubeconfig: str = KubeconfigOption, context: str = ContextOption,
    namespace: str = NamespaceOption, insecure: bool = InsecureOption, ca_file: str = CaFileOption,
    output: str = output_option(help_text="text or json (docs/status.md, \"hubctl prune\").", choices="text|json"),
) -> None:
    """Delete orphaned Applications whose removal a hubctl commit allowed (Hubctl-Allowed-Removal).

    Orphans no trailer names are left alone and stay drift (exit 9). Needs permission to delete
    Applications on the hub. A fleet of several hubs prunes every active hub (or --hub NAME), each from
    its own committed render and with its own connection, as `hubctl status` reads it; exit 13 when some
    hubs failed and others did not. An orphan of a cluster another hub manages is left to `hub release`.

    Examples:

        hubctl prune --dry-run

        hubctl prune --yes -o json

        hubctl prune --hub us-hub --dry-run
    """
    from hubctl.base.errors import UsageError
    from hubctl.usecases.prune.prune import prune_fleet
    from hubctl.usecases.status.service import StatusOptions, parse_duration
    from hubctl.usecases.status.status import Filters

    if output not in ("text", "json"):
        raise UsageError(f"unknown output format {output!r}", hint="use text or json")
    options = StatusOptions(fleet_dir, revision, False, parse_duration(timeout), Filters(flow, space, cluster),
                            *hub_connection(source, server, token_file, username, kubeconfig, context, namespace,
                                            insecure, ca_file), hub=hub)
    result = prune_fleet(options, dry_run=dry_run, cascade=cascade, confirm=lambda items: yes or _ask(items))
    if hasattr(result, "hubs"):
        _print_hubs(result, output)
    else:
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
    names = ", ".join(f"{item.name} (hub {item.hub})" if item.hub else item.name for item in items)
    return typer.confirm(f"Delete {names} and their workloads on the spokes?", default=False, err=True)


def _print(result, output: str, prefix: str = "") -> None:
    from hubctl.cli import console

    if output == "json":
        console.print_json(_json(result))
        return
    if not result.items:
        console.data(f"{prefix}no orphaned Applications")
        return
    for item in result.items:
        verb = {"planned": "would delete" if result.dry_run else "not deleted", "deleted": "deleted",
                "deleting": "deleting", "kept": "kept"}[item.result]
        console.data(f"{prefix}{verb} application {item.name} ({item.space}/{item.flow} on {item.cluster}): "
                     f"{item.reason}")
    kept = sum(item.result == "kept" for item in result.items)
    if kept:
        console.data(f"{prefix}{kept} orphaned Application{'s' if kept != 1 else ''} left: drift")


def _print_hubs(fleet, output: str) -> None:
    """Each hub's rows (or its error), then the fleet's line; a failed hub also as an error on stderr."""
    from hubctl.cli import console

    if output == "json":
        hubs = [{"hub": h.hub, "revision": h.result.revision if h.result else None, "exitCode": int(h.exit_code),
                 "error": str(h.error) if h.error else None, "hint": h.error.hint if h.error else None,
                 "applications": _json(h.result)["applications"] if h.result else []} for h in fleet.hubs]
        console.print_json({"apiVersion": "hubctl.io/v1alpha1", "kind": "Prune", "dryRun": fleet.dry_run,
                            "cascade": fleet.cascade, "exitCode": int(fleet.exit_code), "hubs": hubs})
        return
    for answer in fleet.hubs:
        if answer.result is not None:
            _print(answer.result, output, f"hub {answer.hub}: ")
        if answer.error is not None:
            console.data(f"hub {answer.hub}: failed: {answer.error}")
            console.error(f"hub {answer.hub}: {answer.error}", answer.error.hint)
    ok = sum(answer.error is None for answer in fleet.hubs)
    console.data(f"fleet: {ok}/{len(fleet.hubs)} hubs pruned{' (dry run)' if fleet.dry_run else ''}")


def _json(result) -> dict:
    return {"apiVersion": "hubctl.io/v1alpha1", "kind": "Prune", "revision": result.revision,
            "dryRun": result.dry_run, "cascade": result.cascade, "exitCode": int(result.exit_code),
            "applications": [{"name": i.name, "space": i.space, "flow": i.flow, "cluster": i.cluster,
                              "result": i.result, "allowedBy": i.allowed_by or None, "reason": i.reason}
                             for i in result.items]}
