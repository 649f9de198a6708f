"""`hubctl commit`."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
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
    render_only: bool = typer.Option(False, "--render-only", help="In the fleet repository, commit the render "
                                     "alone and leave the specs as they are."),
    allow_dirty: bool = typer.Option(False, "--allow-dirty", help="Commit to a separate deploy repository even "
                                     "when the specs are not committed."),
    output: TextJson = typer.Option("text", "-o", "--output", help="text or json."),
) -> None:
    """Commit the render to Git as one reviewable, traceable commit (and push it).

    Validates and renders in memory, refuses stale renders, inline secrets and deletions over the prune
    limit, then writes a commit whose message summarises the change and carries trailers
    (Hubctl-Source-Commit, Hubctl-Spec-Hash). With spec.deploy in hubctl.yaml the render goes to the
    local clone of that repository named by --deploy-clone (branch spec.deploy.branch, else
    spec.repo.branch), and the specs must be committed (else exit 4, or --allow-dirty); otherwise into the
    fleet repository's current branch, together with the spec files it was rendered from (hubctl.yaml,
    clusters/, spaces/, flows/, blueprints/), unless --render-only. "nothing to commit" exits 0.
    Several hubs with deploy repositories of their own: one commit (and push) per hub, in parallel, into
    the clone in $HUBCTL_DEPLOY_CLONE_<HUB>; exit 13 when some hubs failed and others did not.

    Examples:

        hubctl commit --dry-run

        hubctl commit -m "payments: 5.2.1" --push

        hubctl commit --render-only
    """
    from hubctl.cli import console
    from hubctl.cli.commit_view import describe, plan_json
    from hubctl.usecases.commit.hubcommit import commit_hubs, hub_fleet
    from hubctl.usecases.commit.prune_hook import prune_check
    from hubctl.usecases.commit.run import commit_fleet

    check = prune_check(allow_prune=allow_prune, max_deletions=max_deletions)
    fleet = hub_fleet(directory)  # loaded once: commit_hubs chooses with it, commit_fleet commits it
    per_hub = commit_hubs(fleet, branch=branch, subject=message, push=push, remote=remote, dry_run=dry_run,
                          author=author, prune_check=check, allow_dirty=allow_dirty)
    if per_hub is not None:  # several hubs, each with its own deploy repository
        from hubctl.cli.hubstatus import print_hub_commits

        print_hub_commits(per_hub, output, dry_run)
        return
    plan = commit_fleet(directory, branch=branch, subject=message, push=push, remote=remote, dry_run=dry_run,
                        author=author, prune_check=check,
                        deploy_clone=deploy_clone, render_only=render_only, allow_dirty=allow_dirty, fleet=fleet)
    if output is TextJson.json:
        console.print_json(plan_json(plan, dry_run))
    else:
        console.data(describe(plan, dry_run))
    if plan.left_out and plan.commit:
        console.info(f"note: not committed, as they are not specs: {', '.join(plan.left_out)}; "
                     "`git add` and `git commit` them to keep them")
    if plan.target.fleet_repo and plan.hub_branch and plan.target.branch != plan.hub_branch:
        console.warn(f"the hub syncs {plan.hub_branch} (hubctl.yaml spec.repo.branch), not {plan.target.branch}: "
                     f"it sees this commit once {plan.target.branch} is merged into {plan.hub_branch} (a pull request)")
