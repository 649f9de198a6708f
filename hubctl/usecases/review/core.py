"""A review of a change: two rendered sides in, everything a reviewer needs out. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubctl.usecases.review.hubchanges import HubChange, hub_changes
from hubctl.usecases.review.manifests import DiffGroup, spoke_groups
from hubctl.usecases.review.placements import FlowDelta, placement_delta
from hubctl.usecases.review.prune import PruneReport, prune_report
from hubctl.usecases.review.risk import Risk, summarise
from hubctl.usecases.review.sides import Side
from hubctl.usecases.review.versions import VersionChange, version_changes


@dataclass
class Review:
    """What a change does to the fleet. `changed` is False when both renders are identical."""

    base: Side
    head: Side
    placements: list[FlowDelta] = field(default_factory=list)
    hub: list[HubChange] = field(default_factory=list)
    groups: list[DiffGroup] = field(default_factory=list)
    risk: Risk = field(default_factory=Risk)
    prune: PruneReport = field(default_factory=PruneReport)
    versions: list[VersionChange] = field(default_factory=list)  # chart versions / targetRevisions that change
    # files in the head's render directory (on disk or committed) that its render does not produce: planted
    # (dot-files too) or stale; Argo CD would apply them, so a review shows them
    unrendered: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how a side given as a commit was read (review.deployed)

    @property
    def changed(self) -> bool:
        return bool(self.placements or self.hub or self.groups or self.unrendered)

    @property
    def applications(self) -> tuple[int, int]:
        """(Applications added, Applications removed)."""
        return sum(len(d.added) for d in self.placements), sum(len(d.removed) for d in self.placements)


def _flow_clusters(base: Side, head: Side) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for side in (base, head):
        for p in side.render.placements:
            out.setdefault(p.flow, set()).add(p.cluster)
    return out


def _namespaces(base: Side, head: Side) -> dict[str, str]:
    out: dict[str, str] = {}
    for side in (base, head):
        if side.fleet is not None:
            out.update({name: flow.namespace for name, flow in side.fleet.flows.items()})
    return out


def compute_review(base: Side, head: Side, *, max_deletions: int | None = None,
                   allow_prune: bool = False) -> Review:
    """Compare two rendered sides: placement delta, source versions, hub changes, folded spoke diffs, risk and
    prune guard.

    Never raises for a change over the prune limit: `review.prune.blocked` says so (the CLI exits 10).
    """
    from hubctl.usecases.review.hubtrees import flattened

    flat_base, flat_head = flattened(base.render), flattened(head.render)  # several hubs: one tree
    old, new = flat_base.files, flat_head.files
    deltas = placement_delta(base.fleet, head.fleet, base.render.placements, head.render.placements)
    hub = hub_changes(old, new)
    # per cluster whatever the layout: a shared variant that changes lists every cluster it reaches
    groups = spoke_groups(flat_base.spoke_files, flat_head.spoke_files, _namespaces(base, head))
    risk = summarise(base.fleet, head.fleet, deltas, hub, groups, old, new, _flow_clusters(base, head))
    prune = prune_report(base.render if base.fleet else None, head.render, head.fleet,
                         base_limits=base.fleet.hub.max_deletions if base.fleet else None,
                         max_deletions=max_deletions, allow_prune=allow_prune)
    versions = version_changes(base.fleet, head.fleet, base.render.placements, head.render.placements)
    return Review(base, head, deltas, hub, groups, risk, prune, versions)
