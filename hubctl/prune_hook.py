"""The prune guard as `hubctl commit` applies it (the rules live in hubctl.review.prune).

The limits come from the base of the commit: the hubctl.yaml of the commit being built on (in the fleet
repository), or, for a separate deploy repository, of the source commit its `Hubctl-Source-Commit` trailer
names. A change that raises them is refused without --allow-prune.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hubctl.constants import HUB_FILE

_SOURCE_TRAILER = re.compile(r"^Hubctl-Source-Commit: ([0-9a-f]{40})$", re.M)


def prune_check(*, allow_prune: bool = False, max_deletions: int | None = None):
    """A callable for commit_fleet that refuses a commit deleting more than the limit allows."""

    def check(fleet, plan) -> None:
        from hubctl.review.prune import check_prune

        check_prune(plan.before, plan.render, fleet, base_limits=base_limits(fleet, plan),
                    max_deletions=max_deletions, allow_prune=allow_prune)

    return check


def base_limits(fleet, plan) -> Mapping[str, int] | None:
    """maxDeletions of the hubctl.yaml the commit builds on; None when there is no base (a first commit)
    or its hubctl.yaml cannot be found (then the new side's limits apply)."""
    import pygit2

    from hubctl.deploy import fleet_repository
    from hubctl.gitops import open_repository

    if plan.parent is None:
        return None
    specs = fleet_repository(fleet.root)
    if specs is None or specs.workdir is None:
        return None
    root, workdir = fleet.root.resolve(), Path(specs.workdir).resolve()
    if not root.is_relative_to(workdir):
        return None
    subdir = root.relative_to(workdir).as_posix()
    path = HUB_FILE if subdir in ("", ".") else f"{subdir}/{HUB_FILE}"
    parent = open_repository(plan.target.repo_path)[plan.parent].peel(pygit2.Commit)
    if plan.target.fleet_repo:
        return _limits_at(specs, str(parent.id), path)
    named = _SOURCE_TRAILER.findall(parent.message)
    return _limits_at(specs, named[-1], path) if named else None


def _limits_at(repo, commit: str, path: str) -> Mapping[str, int] | None:
    import pygit2

    from hubctl.spec.hubfile import max_deletions

    try:
        entry = repo[commit].peel(pygit2.Commit).tree[path]
    except (KeyError, ValueError, pygit2.GitError):  # not in this clone (shallow), or no hubctl.yaml there
        return None
    blob = repo[entry.id]
    return max_deletions(blob.data) if isinstance(blob, pygit2.Blob) else None
