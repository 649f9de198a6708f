"""Which hub manages which cluster in the committed render: what `hubctl hub release` trusts.

Not the working tree (an edit not yet reviewed, merged and committed must not move anything on a hub): for
each hub, the render at the head of its deploy branch (the revision the hub sees, as `status` and `prune`
read it), under its render directory: `<renderDir>/<hub>` in the fleet repository, or, when the hubs have
deploy repositories of their own, the hub's path in the clone of its repository ($HUBCTL_DEPLOY_CLONE_<HUB>).
A hub manages a cluster there when its tree generates an Application for it: an ApplicationSet pinned to the
cluster, or the spoke's `spaces-<cluster>` Application. A standby's tree (projects and registrations only)
manages nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.errors import UsageError


@dataclass
class Owners:
    """Hub -> the clusters its committed render manages, and the revision each hub's render was read at."""

    clusters: dict[str, frozenset[str]] = field(default_factory=dict)
    revisions: dict[str, str] = field(default_factory=dict)
    applications: dict[str, frozenset[str]] = field(default_factory=dict)  # hub -> the Applications it generates
    unread: dict[str, str] = field(default_factory=dict)  # hub -> why its committed render could not be read

    def others(self, hub: str, cluster: str) -> list[str]:
        """The hubs other than `hub` that manage `cluster`."""
        return sorted(name for name, managed in self.clusters.items() if name != hub and cluster in managed)

    def generating(self, hub: str, application: str) -> list[str]:
        """The hubs other than `hub` whose committed render generates the Application `application`."""
        return sorted(name for name, apps in self.applications.items() if name != hub and application in apps)


def committed_owners(fleet, strict: bool = True) -> Owners:
    """Every hub's committed render of `fleet`, read from its deploy branch.

    `strict=False` (prune) skips the hubs whose render cannot be read, saying why in `unread`.

    Hubs with deploy repositories of their own are read from their clones ($HUBCTL_DEPLOY_CLONE_<HUB>).

    Raises:
        UsageError: no deploy repository here (nothing committed to read), or a hub's clone not named.
        GitError: a deploy branch is missing, or its render is not on the remote the hub tracks
            (NotPushedError: the hub cannot see it yet).
    """
    from hubctl.base.errors import HubctlError
    from hubctl.spec.hubs import hubs_of

    owners = Owners()
    for name in sorted(hubs_of(fleet)):
        try:
            repo_path, head, tree = hub_tree(fleet, name)
        except HubctlError as exc:
            if strict:
                raise _of_hub(exc, name) if fleet.hubs else exc from None
            owners.unread[name] = exc.message
            continue
        owners.clusters[name], owners.applications[name] = managed_in_render(repo_path, head, tree)
        owners.revisions[name] = head
    return owners


def _of_hub(exc, name: str):
    """`exc` with its message naming the hub whose render it is about."""
    import copy

    named = copy.copy(exc)
    named.message = f"hub {name}: {exc.message}"
    named.args = (named.message, *exc.args[1:])
    return named


def hub_tree(fleet, name: str, notes: list | None = None) -> tuple[Path, str, str]:
    """Where hub `name`'s committed render is: the repository, the revision of its deploy branch the hub sees,
    and the hub's render directory in it. Without `notes`, a render the hub cannot see yet is an error.

    Raises:
        UsageError: no deploy repository here to read.
        GitError: the deploy branch is missing (or, without `notes`, not on the remote the hub tracks).
    """
    from hubctl.usecases.commit.deploy import resolve_target
    from hubctl.usecases.commit.hubcommit import separate_targets
    from hubctl.usecases.status.expected import deploy_head

    found: list = []
    if separate_targets(fleet):  # the hub's own deploy repository, in the clone the runner names
        from hubctl.usecases.render.hubsplit import hub_view

        view, clone = hub_view(fleet, name), _clone_of(fleet, name)
        repo_path, head = deploy_head(view, found, clone)
        if repo_path is None:
            raise UsageError(f"{clone} (${_clone_variable(name)}) is not a clone of hub {name}'s deploy repository "
                             f"({view.hub.deploy_repository})", hint=f"point ${_clone_variable(name)} at a clone "
                             "of it, as `hubctl commit` uses it")
        prefix = resolve_target(view, None, clone).prefix
    else:
        repo_path, head = deploy_head(fleet, found)
        if repo_path is None or head is None:
            raise UsageError("no deploy repository here to read the committed render from; nothing was deleted",
                             hint="run hubctl in the fleet repository, where `hubctl commit` writes")
        prefix = resolve_target(fleet).prefix  # each hub's tree is <renderDir>/<hub> (one hub: the renderDir)
        prefix = "/".join(part for part in (prefix, name if fleet.hubs else "") if part)
    if found and notes is None:
        raise found[0]
    (notes if notes is not None else []).extend(found)
    return repo_path, head, prefix


def _clone_variable(name: str) -> str:
    from hubctl.usecases.commit.hubcommit import clone_variable

    return clone_variable(name)


def _clone_of(fleet, name: str) -> str:
    """The local clone of hub `name`'s deploy repository: $HUBCTL_DEPLOY_CLONE_<HUB>, never the specs.

    Raises:
        UsageError: the variable is not set.
    """
    import os

    clone = os.environ.get(_clone_variable(name))
    if not clone:
        raise UsageError(f"hub {name} deploys from {fleet.hubs[name].deploy_repository}; its committed render "
                         "is read from a local clone you name, never one the specs name; nothing was deleted",
                         hint=f"set {_clone_variable(name)} to a clone of that repository (as for `hubctl "
                              "commit`), fetched")
    return clone


def managed_in_render(repo_path, revision: str, prefix: str) -> tuple[frozenset[str], frozenset[str]]:
    """The clusters the render under `prefix` at `revision` generates Applications for, and those Applications."""
    from hubctl.adapters.git.read import CommittedFiles, blob_ids
    from hubctl.adapters.git.repo import repository
    from hubctl.usecases.commit.prune_hook import spaces_clusters
    from hubctl.usecases.render.appsets import spaces_app_name
    from hubctl.usecases.render.fleet import Render
    from hubctl.usecases.review.prune import applications

    repo = repository(repo_path)
    render = Render(CommittedFiles(repo, blob_ids(repo, revision, prefix)), [])
    if not render.files:
        return frozenset(), frozenset()
    generated, spaces = applications(render), spaces_clusters(render)
    return (frozenset({cluster for _flow, cluster in generated} | spaces),
            frozenset({name for name, _env in generated.values()} | {spaces_app_name(c) for c in spaces}))
