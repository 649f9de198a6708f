"""`hubctl hub emulate`: a hub on 127.0.0.1 for demos, tests and trying `hubctl status`."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.cluster import AllowPrune, DryRun, Output, finish
from hubctl.cli.options import (
    CaFileOption,
    ContextOption,
    DirOption,
    InsecureOption,
    KubeconfigOption,
    NamespaceOption,
    ServerOption,
    SourceOption,
    TextJson,
    TokenFileOption,
    UsernameOption,
    hub_connection,
)

hub_app = typer.Typer(help="Work with the hubs: fail over to a standby and back, release a hub's Applications "
                      "after a failover; an emulator for trying things out.", no_args_is_help=True)
app.add_typer(hub_app, name="hub")


@hub_app.command("emulate")
def emulate(
    repo: Path = typer.Option(..., "--repo", help="The Git repository (bare or not) holding the committed render."),
    branch: str = typer.Option("main", "--branch", help="The branch the emulated hub syncs."),
    path: str = typer.Option("rendered", "--path", help="The render directory inside the repository "
                             "(hubctl.yaml spec.repo.path; '' for the repository root)."),
    port: int = typer.Option(8765, "--port", help="Port on 127.0.0.1 (0 = any free port)."),
    namespace: str = typer.Option("argocd", "--namespace", help="The emulated Argo CD namespace."),
    speed: float = typer.Option(1.0, "--speed", help="Seconds per rollout stage."),
    fault: list[str] = typer.Option(None, "--fault", help="degraded=GLOB, outofsync=GLOB, failed=GLOB, "
                                    "window=GLOB, http500=N, reset=N, slow=SECONDS, forbidden; repeatable."),
    kubeconfig: Path = typer.Option(None, "--kubeconfig", metavar="FILE", help="Write a kubeconfig for the "
                                    "emulator to FILE (0600; never replaces a file it did not write)."),
) -> None:
    """Serve an emulated Argo CD hub on 127.0.0.1 until Ctrl-C.

    It speaks the Kubernetes API subset (Applications and ApplicationSets: list with labelSelector, limit
    and continue, get, watch) and the Argo CD /api/v1 subset (session, applications), expands the
    ApplicationSets committed on BRANCH the way Argo CD would, and rolls the Applications out to
    Synced/Healthy at each new commit, with optional faults. It prints a ready-to-run `hubctl status`
    command: with --kubeconfig FILE it writes a kubeconfig for itself there (the token stays in the file),
    otherwise the command uses --server and HUBCTL_ARGOCD_TOKEN.

    Examples:

        hubctl hub emulate --repo ../fleet-deploy.git --port 8765 --fault degraded='web-prod-*'

        hubctl hub emulate --repo . --kubeconfig ~/.kube/hubctl-emulator.yaml
    """
    from hubctl.cli import console
    from hubctl.emulator.serve import serve_until_interrupted

    raise typer.Exit(serve_until_interrupted(str(repo), branch, port, namespace, speed, list(fault or []),
                                             announce=console.info, path=path,
                                             kubeconfig=str(kubeconfig.expanduser()) if kubeconfig else None))


@hub_app.command("failover")
def failover(
    primary: str = typer.Argument(..., help="The hub that manages the clusters now."),
    to: str = typer.Option(..., "--to", metavar="STANDBY", help="Its standby, which manages them after the edit."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Fail over: STANDBY manages PRIMARY's clusters (sets spec.standby.active in STANDBY's spec).

    A reviewed spec edit, like every edit: it shows which clusters move, checks the prune guard and, with
    --dry-run, the spec diff. Then render, commit and push; `hubctl status --wait` reads the standby
    (docs/operations.md has the runbook).

    Example:

        hubctl hub failover us-hub --to us-standby --dry-run
    """
    from hubctl.usecases.ops.failover import hub_failover

    finish(lambda: hub_failover(directory, primary, to), output, dry_run, allow_prune)


@hub_app.command("failback")
def failback(
    standby: str = typer.Argument(..., help="The active standby."),
    to: str = typer.Option(..., "--to", metavar="PRIMARY", help="The primary that manages the clusters again."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Fail back: PRIMARY manages its clusters again (removes spec.standby.active from STANDBY's spec).

    Example:

        hubctl hub failback us-standby --to us-hub
    """
    from hubctl.usecases.ops.failover import hub_failback

    finish(lambda: hub_failback(directory, standby, to), output, dry_run, allow_prune)


@hub_app.command("release")
def release(
    hub: str = typer.Argument(..., help="The hub to release the clusters of (the old primary after a failover)."),
    directory: Path = DirOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="List the Applications it would delete; delete nothing."),
    yes: bool = typer.Option(False, "-y", "--yes", help="Do not ask for confirmation."),
    timeout: str = typer.Option("10m", "--timeout", help="Deadline for the whole run: 90s, 10m, 1h."),
    source: str = SourceOption, server: str = ServerOption, token_file: str = TokenFileOption,
    username: str = UsernameOption, kubeconfig: str = KubeconfigOption, context: str = ContextOption,
    namespace: str = NamespaceOption, insecure: bool = InsecureOption, ca_file: str = CaFileOption,
    output: TextJson = Output,
) -> None:
    """Delete, without cascading, HUB's Applications of clusters another hub manages now (after a failover).

    Reads who manages each cluster from the committed render (the deploy branch, never the working tree),
    lists HUB's Applications labelled managed-by=hubctl and deletes those of clusters another hub manages:
    resources finalizer first, then the Application, so the workloads stay for the new owner. Applications
    of clusters HUB still manages, and Applications hubctl did not make, are never touched. HUB is reached
    as `hubctl status` reaches it (its spec.kube.context, or spec.argocd.server with
    $HUBCTL_ARGOCD_TOKEN_<HUB>). Step 4 of the failover runbook (docs/operations.md).

    Examples:

        hubctl hub release us-hub --dry-run

        hubctl hub release us-hub --yes -o json
    """
    from hubctl.usecases.release.release import release_hub
    from hubctl.usecases.status.service import StatusOptions, parse_duration
    from hubctl.usecases.status.status import Filters

    options = StatusOptions(directory, None, False, parse_duration(timeout), Filters(), *hub_connection(
        source, server, token_file, username, kubeconfig, context, namespace, insecure, ca_file))
    result = release_hub(options, hub, dry_run=dry_run, confirm=lambda items: yes or _ask_release(hub, items))
    _print_release(result, output)


def _ask_release(hub: str, items) -> bool:
    """Confirmation on a terminal; elsewhere --yes is required (as `hubctl prune`)."""
    import sys

    from hubctl.base.errors import UsageError

    if not sys.stdin.isatty():
        raise UsageError(f"{len(items)} Application{'s' if len(items) != 1 else ''} would be deleted from hub "
                         f"{hub}; not asking on a non-interactive input",
                         hint="pass --yes (or --dry-run to see the plan)")
    names = ", ".join(item.name for item in items)
    return typer.confirm(f"Delete {names} from hub {hub} (not their workloads)?", default=False, err=True)


def _print_release(result, output: TextJson) -> None:
    from hubctl.cli import console

    if output is TextJson.json:
        console.print_json({
            "apiVersion": "hubctl.io/v1alpha1", "kind": "HubRelease", "hub": result.hub, "dryRun": result.dry_run,
            "revisions": result.revisions, "stillManaged": result.still_managed,
            "applications": [{"name": i.name, "space": i.space, "flow": i.flow, "cluster": i.cluster,
                              "owner": i.owner, "result": i.result, "note": i.note or None} for i in result.items]})
        return
    if result.still_managed:
        count = len(result.still_managed)
        console.data(f"hub {result.hub} still manages {count} cluster{'s' if count != 1 else ''} in the committed "
                     f"render ({', '.join(result.still_managed)}): their Applications are kept")
    if not result.items:
        console.data(f"nothing to release on hub {result.hub}")
        return
    for item in result.items:
        verb = {"planned": "would delete" if result.dry_run else "deleting", "deleted": "deleted",
                "deleting": "deleting", "kept": "kept"}[item.result]
        why = item.note or f"{item.cluster} is managed by {item.owner}; its workload stays"
        console.data(f"{verb} application {item.name} ({item.space}/{item.flow} on {item.cluster}): {why}")
