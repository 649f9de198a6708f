"""`hubctl hub release HUB` as a library call: after a failover, HUB lets go of the clusters it no longer manages.

A hub whose ApplicationSets were removed from Git keeps the Applications they generated (create-update and
preserveResourcesOnDeletion, docs/architecture.md), and they keep syncing clusters another hub now manages.
Release lists HUB's Applications labelled managed-by=hubctl and deletes, without cascading (the workloads
stay for the new owner), each whose `hubctl.io/cluster` is managed in the committed render by another hub
and not by HUB (hubctl.usecases.release.owners). Each is read again just before its deletion, and left
alone when it no longer qualifies (relabelled, adopted). The deletions are prune's
(hubctl.usecases.prune.delete): resources finalizer removed first, uid precondition on the Kubernetes API,
and the hub's answer checked. A run that stops midway is re-run: what is gone is not listed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.constants import LABEL_CLUSTER, LABEL_MANAGED_BY, MANAGED_BY
from hubctl.base.errors import HubError, UsageError

SELECTOR = f"{LABEL_MANAGED_BY}={MANAGED_BY}"


@dataclass
class ReleaseItem:
    """One of HUB's Applications on a cluster another hub manages, and what release does with it."""

    name: str
    space: str
    flow: str
    cluster: str
    owner: str  # the hub that manages the cluster now
    result: str = "planned"  # planned | deleted | deleting | kept
    note: str = ""


@dataclass
class ReleaseResult:
    hub: str
    revisions: dict[str, str]
    items: list[ReleaseItem] = field(default_factory=list)
    still_managed: list[str] = field(default_factory=list)  # clusters HUB manages: never touched
    dry_run: bool = False


def release_hub(options, hub: str, *, dry_run: bool = False, confirm=lambda items: True,
                on_deleted=lambda item: None) -> ReleaseResult:
    """Delete, without cascading, HUB's Applications of clusters another hub manages in the committed render.

    `options` is a StatusOptions (fleet, timeout, connection); HUB is read with the connection `status`
    uses for it (its kube context or spec.argocd.server, $HUBCTL_ARGOCD_TOKEN_<HUB>). `confirm(items)` is
    asked before the first deletion (False: nothing is deleted, UsageError).

    Raises:
        SpecError, GitError, UsageError (an unknown hub, nothing confirmed), HubError (exit 6: down, refusing,
            or answering a deletion it did not do; the Applications released before it are in the message).
    """
    from hubctl.usecases.release.owners import committed_owners
    from hubctl.usecases.render.hubsplit import fleet_of_hub
    from hubctl.usecases.status.fleetstatus import hub_reach
    from hubctl.usecases.status.service import make_reader
    from hubctl.usecases.validate.loader import load_fleet

    fleet = load_fleet(Path(options.fleet_dir))
    view = fleet_of_hub(fleet, hub)
    owners = committed_owners(fleet)
    mine = owners.clusters[hub]
    hub_options, env = hub_reach(options, hub, view.hub.api_server)  # as status reaches it
    reader = make_reader(hub_options, view.hub, Path(options.fleet_dir), env=env)
    try:
        try:
            items, still = _listing(reader, hub, owners, mine)
        except HubError as exc:
            raise HubError(f"hub {hub}: {exc.message} (nothing was deleted)", hint=exc.hint) from None
        result = ReleaseResult(hub, owners.revisions, items, sorted(still), dry_run)
        if dry_run or not items:
            return result
        if not confirm(items):
            raise UsageError("nothing was deleted", hint="answer y, or pass --yes (--dry-run shows the plan)")
        _delete_all(reader, hub, items, owners, on_deleted)
        return result
    finally:
        reader.deadline.close()


def _listing(reader, hub: str, owners, mine: frozenset[str]) -> tuple[list[ReleaseItem], set[str]]:
    """HUB's Applications to release (sorted by name), and the clusters of those it keeps."""
    from hubctl.usecases.status.status import checked_live

    items, still, seen = [], set(), set()
    for obj in reader.list_applications(SELECTOR):
        live = checked_live(reader, obj)
        labels = obj["metadata"].get("labels") or {}
        if labels.get(LABEL_MANAGED_BY) != MANAGED_BY or live.name in seen:  # a hub ignoring the selector
            continue
        seen.add(live.name)
        if live.cluster in mine:
            still.add(live.cluster)
            continue
        others = owners.others(hub, live.cluster)
        if others and _sent_to(obj, live.cluster):
            items.append(ReleaseItem(live.name, live.space, live.flow, live.cluster, others[0]))
    return sorted(items, key=lambda item: item.name), still


def _sent_to(obj: dict, cluster: str) -> bool:
    """Does the Application deploy to `cluster`? hubctl's render names the destination cluster; one whose
    label says another cluster than its destination is not what hubctl made, and is left alone."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    destination = spec.get("destination") if isinstance(spec.get("destination"), dict) else {}
    return destination.get("name") in (None, cluster)


def _delete_all(reader, hub: str, items: list[ReleaseItem], owners, on_deleted) -> None:
    from hubctl.usecases.prune.delete import delete_application

    mine, done = owners.clusters[hub], []

    def still(labels: dict) -> bool:  # read again: its cluster may have changed since the listing
        cluster = labels.get(LABEL_CLUSTER)
        return isinstance(cluster, str) and cluster not in mine and bool(owners.others(hub, cluster))

    for item in items:
        try:
            item.result = delete_application(reader, item.name, cascade=False, still=still,
                                             rerun=f"hubctl hub release {hub}")
        except HubError as exc:
            before = f" (released before it: {', '.join(done)})" if done else " (nothing was deleted)"
            raise HubError(f"{exc.message}{before}", hint=exc.hint) from None
        if item.result in ("adopted", "changed"):
            item.result, item.note = "kept", ("no longer labelled managed-by=hubctl on the hub: left alone"
                                              if item.result == "adopted" else
                                              "relabelled since the listing: left alone (run release again)")
            continue
        done.append(item.name)
        on_deleted(item)
