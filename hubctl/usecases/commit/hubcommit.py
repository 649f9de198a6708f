"""`hubctl commit` for a fleet whose hubs have deploy repositories of their own: a commit per hub, at once.

When hubs of a fleet name `spec.deploy.repository`, each hub's tree is committed (and pushed) into the
local clone of its own deploy repository, named by `$HUBCTL_DEPLOY_CLONE_<HUB>` (the hub's name upper-cased,
`-` as `_`; never by the specs). Every hub's commit is exactly the single-hub `hubctl commit` of that hub's
share (hubctl.usecases.commit.run.plan_for_target and carry_out: its lock, its atomic commit, its replay of a rejected
push, its prune guard against that repository's last render), and the hubs run in parallel threads. One
hub failing does not undo or stop another: each hub's result is reported, and the exit code is PARTIAL (13)
when some hubs were committed and others were not. Running the command again converges: the hubs already
committed have nothing to commit, the others are retried.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from hubctl.base.errors import HubctlError, UsageError


def clone_variable(hub: str) -> str:
    return f"HUBCTL_DEPLOY_CLONE_{hub.upper().replace('-', '_')}"


@dataclass
class HubCommit:
    """One hub's commit: its plan (committed, pushed) or the error that stopped it."""

    hub: str
    plan: object | None = None
    error: HubctlError | None = None


def has_hub_specs(fleet_dir: Path) -> bool:
    """Cheap: does the fleet have a hubs/ directory at all (only then is the fleet loaded to ask more)."""
    from hubctl.spec.discover import fleet_root

    return (fleet_root(Path(fleet_dir)) / "hubs").is_dir()


def separate_targets(fleet) -> bool:
    """The fleet has several hubs and they commit into deploy repositories of their own.

    Raises:
        UsageError: some hubs name a deploy repository and others do not.
    """
    if len(fleet.hubs) < 2:
        return False
    own = sorted(name for name, hub in fleet.hubs.items() if hub.deploy_repository)
    if own and len(own) < len(fleet.hubs):
        rest = sorted(set(fleet.hubs) - set(own))
        raise UsageError(f"hubs {', '.join(own)} commit to deploy repositories of their own and "
                         f"{', '.join(rest)} to the fleet repository",
                         hint="give every hub a spec.deploy.repository, or none (docs/hubs.md)")
    return bool(own)


def _one(fleet, name: str, options: dict) -> HubCommit:
    from hubctl.usecases.commit.deploy import resolve_target
    from hubctl.usecases.commit.run import InlineSecretError, carry_out, plan_for_target
    from hubctl.usecases.commit.secretguard import secret_files
    from hubctl.usecases.render.fleet import render_fleet
    from hubctl.usecases.render.hubsplit import hub_view

    try:
        clone = os.environ.get(clone_variable(name))
        if not clone:
            raise UsageError(f"hub {name} commits to {fleet.hubs[name].deploy_repository}; hubctl commits into "
                             "a local clone you name, never one the specs name",
                             hint=f"set {clone_variable(name)} to a clone of that repository")
        view = hub_view(fleet, name)
        render = render_fleet(view)
        bad = secret_files(render.files, render.recipes)
        if bad:
            raise InlineSecretError(f"the render holds a Secret with inline secret material: {', '.join(bad[:5])}",
                                    hint="reference credentials (ExternalSecret, workload identity)")
        target = resolve_target(view, options["branch"], clone)
        plan = plan_for_target(view, render, target, options["subject"], True, options["allow_dirty"])
        return HubCommit(name, carry_out(view, plan, push=options["push"], remote=options["remote"],
                                         dry_run=options["dry_run"], author=options["author"],
                                         committer=options.get("committer"), prune_check=options["prune_check"]))
    except HubctlError as exc:
        return HubCommit(name, error=exc)


def hub_fleet(fleet_dir: Path):
    """The fleet loaded when it has a hubs/ directory (commit_hubs needs it to choose, and the one-repository
    commit then takes it as it is: one load), else None (a one-hub fleet: `hubctl commit` loads it itself).

    Raises:
        SpecError: the specs do not validate.
    """
    if not has_hub_specs(fleet_dir):
        return None
    from hubctl.usecases.validate.loader import load_fleet

    return load_fleet(Path(fleet_dir))


def commit_hubs(fleet, **options) -> list[HubCommit] | None:
    """Commit (and push) each hub's tree into its own deploy repository, all hubs at once; None when the
    fleet's hubs share the fleet repository (then `hubctl commit` is one commit of every tree). `fleet`: what
    hub_fleet gave (None for a fleet of one hub).

    `options`: branch, subject, push, remote, dry_run, author, committer, prune_check, allow_dirty.

    Raises:
        SpecError: the specs do not validate. UsageError: a mix of deploy targets.
    """
    if fleet is None or not separate_targets(fleet):
        return None
    names = sorted(fleet.hubs)
    with ThreadPoolExecutor(max_workers=min(len(names), 8), thread_name_prefix="hubctl-commit") as pool:
        return list(pool.map(lambda name: _one(fleet, name, options), names))
