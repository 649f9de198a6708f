"""The prune guard as `hubctl commit` applies it (the rules live in hubctl.usecases.review.prune).

The base of the guard is what hubctl last committed, since that is what the hub was given: in the fleet
repository, the nearest first-parent ancestor of the branch head that hubctl created (it carries the
`Hubctl-Spec-Hash` trailer), so a raise of maxDeletions, or a removal of rendered files, committed with
plain git since then is still judged against hubctl's last commit; for a separate deploy repository, the
deploy branch head and the source commit its `Hubctl-Source-Commit` trailer names. The limits come from
the base's hubctl.yaml and deletions are counted against the base's render. A change that raises the
limits is refused without --allow-prune. A branch hubctl never committed to has its head as the base.

What the guard allowed is recorded in the commit: one `Hubctl-Allowed-Removal: <application> (<env>)`
trailer per Application the change removes (`, --allow-prune` after the environment when it was over its
limit), including a drained spoke's `spaces-<cluster>`. `hubctl prune` deletes only Applications so named
(hubctl.usecases.prune.removals); a commit without the trailer allows no removal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hubctl.base.constants import HUB_FILE

_SOURCE_TRAILER = re.compile(r"^Hubctl-Source-Commit: ([0-9a-f]{40})$", re.M)
_HUBCTL_TRAILER = re.compile(r"^Hubctl-Spec-Hash: sha256:[0-9a-f]+$", re.M)
ALLOWED_REMOVAL = "Hubctl-Allowed-Removal"


def prune_check(*, allow_prune: bool = False, max_deletions: int | None = None):
    """A callable for commit_fleet that refuses a commit deleting more than the limit allows, and
    otherwise returns the `Hubctl-Allowed-Removal` trailers of what it allowed."""

    def check(fleet, plan) -> list[str]:
        from hubctl.usecases.review.prune import check_prune

        base = base_commit(plan)
        before = base_render(plan, base)
        report = check_prune(before, plan.render, fleet, base_limits=base_limits(fleet, plan, base),
                             max_deletions=max_deletions, allow_prune=allow_prune)
        return removal_trailers(report, before, plan.render)

    return check


def removal_trailers(report, before, after) -> list[str]:
    """`Hubctl-Allowed-Removal: <application> (<env>[, --allow-prune])` for each Application the guard
    let the change remove: the flows' (report.deletions) and the spaces Application of each spoke left
    with no placement (its Namespaces are among the deletions the guard counted). Sorted."""
    from hubctl.usecases.render.appsets import spaces_app_name
    from hubctl.usecases.review.hubtrees import flattened
    from hubctl.usecases.review.prune import cluster_envs

    removed = {(d.name, d.env) for d in report.deletions if d.kind == "Application"}
    if before is not None and before.files:
        envs = cluster_envs(flattened(before))
        removed |= {(spaces_app_name(c), envs.get(c, "")) for c in spaces_clusters(before) - spaces_clusters(after)}
    overridden = set(report.over) if report.allowed else set()
    return sorted(f"{ALLOWED_REMOVAL}: {name} ({env or 'no env'}{', --allow-prune' if env in overridden else ''})"
                  for name, env in removed)


def spaces_clusters(render) -> set[str]:
    """The spokes the render's hubctl-spaces ApplicationSet generates an Application for."""
    from hubctl.base.constants import LABEL_CLUSTER
    from hubctl.usecases.review.hubchanges import first_document
    from hubctl.usecases.review.hubtrees import flattened, spaces_appset_paths

    render = flattened(render)
    paths = spaces_appset_paths(render.files) if render is not None else []
    if not paths:
        return set()
    stack = [(first_document(render.files[p], "ApplicationSet").get("spec") or {}).get("generators") for p in paths]
    clusters: set[str] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("key") == LABEL_CLUSTER and item.get("operator") == "In":
                clusters.update(str(v) for v in item.get("values") or [])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return clusters


def base_commit(plan) -> str | None:
    """The commit the guard judges against: in the fleet repository the last commit hubctl made on the
    branch (the head when hubctl made none); for a deploy repository the branch head."""
    from hubctl.adapters.git import open_repository
    from hubctl.adapters.git.repo import as_commit, first_parent

    if plan.parent is None or not plan.target.fleet_repo:
        return plan.parent
    commit = as_commit(open_repository(plan.target.repo_path)[plan.parent])
    while True:
        if _HUBCTL_TRAILER.search(_trailers(commit.message)):
            return str(commit.id)
        if not commit.parent_ids:
            return plan.parent
        commit = first_parent(commit)
        if commit is None:  # a shallow clone ends here
            return plan.parent


def _trailers(message: str) -> str:
    """The trailer paragraph of a commit message: a line like hubctl's in its subject or body is no trailer."""
    from hubctl.adapters.git.trailers import trailer_block

    return trailer_block(message)


def base_render(plan, base: str | None):
    """The render at `base` (the plan's own `before` when base is the branch head)."""
    from hubctl.adapters.git import open_repository
    from hubctl.adapters.git.read import CommittedFiles, blob_ids
    from hubctl.usecases.render.fleet import Render

    if base == plan.parent:
        return plan.before
    repo = open_repository(plan.target.repo_path)
    return Render(CommittedFiles(repo, blob_ids(repo, base, plan.target.prefix)), [])


def base_limits(fleet, plan, base: str | None = None) -> Mapping[str, int] | None:
    """maxDeletions of the hubctl.yaml of the base; None when there is no base (a first commit) or its
    hubctl.yaml cannot be found (then the new side's limits apply)."""
    from hubctl.adapters.git import open_repository
    from hubctl.adapters.git.repo import as_commit
    from hubctl.usecases.commit.deploy import fleet_repository

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
    if plan.target.fleet_repo:
        return _limits_at(specs, base or plan.parent, path)
    parent = as_commit(open_repository(plan.target.repo_path)[plan.parent])
    named = _SOURCE_TRAILER.findall(_trailers(parent.message))
    return _limits_at(specs, named[-1], path) if named else None


def _limits_at(repo, commit: str, path: str) -> Mapping[str, int] | None:
    from hubctl.adapters.git.repo import as_commit, git_error, is_blob
    from hubctl.spec.hubfile import max_deletions

    try:
        entry = as_commit(repo[commit]).tree[path]
    except (KeyError, ValueError, git_error()):  # not in this clone (shallow), or no hubctl.yaml there
        return None
    blob = repo[entry.id]
    return max_deletions(blob.data) if is_blob(blob) else None
