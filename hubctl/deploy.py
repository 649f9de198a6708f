"""Where the rendered output is committed: the fleet repository itself, or a separate deploy repository."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hubctl.errors import GitError
from hubctl.spec.model import Fleet


@dataclass(frozen=True)
class DeployTarget:
    """A repository, the branch to commit to, and the directory inside it that holds the render."""

    repo_path: Path  # the work tree or bare repository
    branch: str
    prefix: str  # posix path of the render directory inside the repository ("" = the root)
    fleet_repo: bool  # True when the render sits beside the specs in the fleet repository


def is_url(text: str) -> bool:
    return "://" in text or (text.count(":") == 1 and "@" in text.split(":")[0])


def fleet_repository(root: Path):
    """The pygit2 repository that holds `root`, or None."""
    import pygit2

    found = pygit2.discover_repository(str(root))
    return pygit2.Repository(found) if found else None


def current_branch(repo) -> str | None:
    if repo.head_is_detached:
        return None
    try:
        return repo.head.shorthand
    except Exception:  # noqa: BLE001 - unborn HEAD: read the symbolic ref
        target = repo.references["HEAD"].target
        return target.removeprefix("refs/heads/") if isinstance(target, str) else None


def resolve_target(fleet: Fleet, branch: str | None = None) -> DeployTarget:
    """The repository, branch and render directory `hubctl commit` writes to.

    A separate deploy repository (hubctl.yaml spec.deploy.repository: a path, relative to the fleet) gets
    the render at spec.repo.path (default: the renderDir) on spec.deploy.branch (default spec.repo.branch).
    Otherwise the render is committed into the fleet repository on its current branch.

    Raises:
        GitError: no repository holds the fleet, or HEAD is detached and no branch was given.
    """
    hub = fleet.hub
    if hub.deploy_repository:
        if is_url(hub.deploy_repository):
            raise GitError(f"deploy repository {hub.deploy_repository} is a URL; hubctl commits into a local "
                           "clone", hint="set spec.deploy.repository to a local clone and use --push")
        path = Path(hub.deploy_repository)
        path = path if path.is_absolute() else fleet.root / path
        return DeployTarget(path, branch or hub.deploy_branch or hub.repo_branch, hub.repo_path.strip("/"), False)
    repo = fleet_repository(fleet.root)
    if repo is None:
        raise GitError(f"{fleet.root} is not inside a git repository",
                       hint="run `git init` there, or set spec.deploy.repository in hubctl.yaml")
    workdir = Path(repo.workdir or repo.path).resolve()
    prefix = Path(os.path.relpath((fleet.root / hub.render_dir).resolve(), workdir)).as_posix()
    chosen = branch or current_branch(repo)
    if not chosen:
        raise GitError("HEAD is detached", hint="pass --branch B")
    return DeployTarget(workdir, chosen, "" if prefix == "." else prefix, True)
