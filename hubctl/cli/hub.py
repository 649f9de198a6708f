"""`hubctl hub emulate`: a hub on 127.0.0.1 for demos, tests and trying `hubctl status`."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.cluster import AllowPrune, DryRun, Output, finish
from hubctl.cli.options import DirOption, TextJson

hub_app = typer.Typer(help="Work with the hubs: fail over to a standby and back; an emulator for trying things "
                      "out.", no_args_is_help=True)
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
