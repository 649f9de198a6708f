"""`hubctl commit`."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli import app
from hubctl.cli.options import DirOption, TextJson


@app.command()
def commit(
    directory: Path = DirOption,
    message: str = typer.Option(None, "-m", "--message", help="Subject line (default: a summary)."),
    branch: str = typer.Option(None, "--branch", help="Branch to commit to (default: see below)."),
    push: bool = typer.Option(False, "--push", help="Push the branch after committing."),
    remote: str = typer.Option("origin", "--remote", help="Remote name or URL to push to."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what the commit would contain; change nothing."),
    author: str = typer.Option(None, "--author", help='"Name <email>" (default: environment, then git config).'),
    allow_prune: bool = typer.Option(False, "--allow-prune", help="Commit even when deletions exceed the limit."),
    max_deletions: int = typer.Option(None, "--max-deletions", min=0, metavar="N",
                                      help="Override the prune limit from hubctl.yaml."),
    deploy_clone: Path = typer.Option(None, "--deploy-clone", envvar="HUBCTL_DEPLOY_CLONE", metavar="PATH",
                                      help="Local clone of spec.deploy's repository (the specs never choose it)."),
    output: TextJson = typer.Option("text", "-o", "--output", help="text or json."),
) -> None:
    """Commit the render to Git as one reviewable, traceable commit (and push it).

    Validates and renders in memory, refuses stale renders, inline secrets and deletions over the prune
    limit, then writes a commit whose message summarises the change and carries trailers
    (Hubctl-Source-Commit, Hubctl-Spec-Hash). With spec.deploy in hubctl.yaml the render goes to the
    local clone of that repository named by --deploy-clone (branch spec.deploy.branch, else
    spec.repo.branch); otherwise into the fleet repository's current branch. "nothing to commit" exits 0.

    Examples:

        hubctl commit --dry-run

        hubctl commit -m "payments: 5.2.1" --push
    """
    from hubctl import console
    from hubctl.commit import commit_fleet
    from hubctl.commit_view import describe, plan_json
    from hubctl.prune_hook import prune_check

    plan = commit_fleet(directory, branch=branch, subject=message, push=push, remote=remote, dry_run=dry_run,
                        author=author, prune_check=prune_check(allow_prune=allow_prune, max_deletions=max_deletions),
                        deploy_clone=deploy_clone)
    if output is TextJson.json:
        console.print_json(plan_json(plan, dry_run))
    else:
        console.data(describe(plan, dry_run))
