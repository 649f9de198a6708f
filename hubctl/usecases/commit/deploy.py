"""Where the rendered output is committed: the fleet repository itself, or a separate deploy repository."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hubctl.base.errors import GitError, UsageError
from hubctl.spec.model import Fleet


@dataclass(frozen=True)
class DeployTarget:
    """A repository, the branch to commit to, and the directory inside it that holds the render."""

    repo_path: Path  # the work tree or bare repository
    branch: str
    prefix: str  # posix path of the render directory inside the repository ("" = the root)
    fleet_repo: bool  # True when the render sits beside the specs in the fleet repository


def fleet_repository(root: Path):
    """The repository that holds `root`, or None."""
    from hubctl.adapters.git.repo import discover

    return discover(root)


def current_branch(repo) -> str | None:
    if repo.head_is_detached:
        return None
    try:
        return repo.head.shorthand
    except Exception:  # noqa: BLE001 - unborn HEAD: read the symbolic ref
        target = repo.references["HEAD"].target
        return target.removeprefix("refs/heads/") if isinstance(target, str) else None


CLONE_ENV = "HUBCTL_DEPLOY_CLONE"


def deploy_clone(fleet: Fleet, given: str | Path | None = None) -> Path | None:
    """The local clone of the separate deploy repository: `given` (--deploy-clone), else $HUBCTL_DEPLOY_CLONE;
    None when neither is set. Never the specs' spec.deploy.repository: a pull request edits the specs, and
    must not choose which repository on this machine hubctl reads, commits to and pushes with its token."""
    chosen = given or os.environ.get(CLONE_ENV)
    return Path(chosen).expanduser() if chosen and fleet.hub.deploy_repository else None


def resolve_target(fleet: Fleet, branch: str | None = None, clone: str | Path | None = None) -> DeployTarget:
    """The repository, branch and render directory `hubctl commit` writes to.

    With spec.deploy in hubctl.yaml the render goes to a separate deploy repository: into the local clone
    named by `clone` (--deploy-clone) or $HUBCTL_DEPLOY_CLONE, at spec.repo.path (default: the renderDir) on
    spec.deploy.branch (default spec.repo.branch). spec.deploy.repository only names that repository (a URL,
    or a path for people to read); hubctl never opens it. Otherwise the render is committed into the fleet
    repository on its current branch.

    Raises:
        UsageError: spec.deploy is set and no local clone was named.
        GitError: no repository holds the fleet, or HEAD is detached and no branch was given.
    """
    hub = fleet.hub
    if hub.deploy_repository:
        path = deploy_clone(fleet, clone)
        if path is None:
            raise UsageError(f"spec.deploy names a separate deploy repository ({hub.deploy_repository}); hubctl "
                             "commits into a local clone you name, never one the specs name",
                             hint=f"pass --deploy-clone PATH or set {CLONE_ENV} to a clone of that repository")
        return DeployTarget(path, branch or hub.deploy_branch or hub.repo_branch, hub.repo_path.strip("/"), False)
    repo = fleet_repository(fleet.root)
    if repo is None:
        raise GitError(f"{fleet.root} is not inside a git repository",
                       hint=f"run `git init -b {hub.repo_branch}` there (the branch the hub syncs), or set "
                       "spec.deploy.repository in hubctl.yaml")
    workdir = Path(repo.workdir or repo.path).resolve()
    prefix = Path(os.path.relpath((fleet.root / hub.render_dir).resolve(), workdir)).as_posix()
    chosen = branch or current_branch(repo)
    if not chosen:
        raise GitError("HEAD is detached", hint="pass --branch B")
    return DeployTarget(workdir, chosen, "" if prefix == "." else prefix, True)
