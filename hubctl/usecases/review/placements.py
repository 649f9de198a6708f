"""The placement delta: which Applications a change adds, removes or moves, and why, per cluster."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubctl.spec import selectors
from hubctl.spec.model import Cluster, Fleet, Flow
from hubctl.usecases.render.placement import Placement, excluded_by


@dataclass(frozen=True)
class ClusterChange:
    """One Application that appears or disappears: the cluster, its environment and why."""

    cluster: str
    env: str
    region: str
    reason: str
    causes: tuple[str, ...]  # stable codes: new-flow, flow-removed, cluster-added, ... (docs/review.md)


@dataclass
class FlowDelta:
    """The placement change of one flow. `change` is added, removed or moved (both)."""

    space: str
    flow: str
    added: list[ClusterChange] = field(default_factory=list)
    removed: list[ClusterChange] = field(default_factory=list)

    @property
    def change(self) -> str:
        if self.added and self.removed:
            return "moved"
        return "added" if self.added else "removed"


def placement_delta(before: Fleet | None, after: Fleet | None,
                    placed_before: list[Placement], placed_after: list[Placement]) -> list[FlowDelta]:
    """Per flow, the clusters it newly lands on and the clusters it leaves, sorted by space and flow."""
    old = {(p.flow, p.cluster): p for p in placed_before}
    new = {(p.flow, p.cluster): p for p in placed_after}
    deltas: dict[str, FlowDelta] = {}
    for key in sorted(new.keys() - old.keys()):
        p = new[key]
        reason, causes = explain(before, after, p.flow, p.cluster, gained=True)
        _delta(deltas, p).added.append(ClusterChange(p.cluster, p.env, p.region, reason, causes))
    for key in sorted(old.keys() - new.keys()):
        p = old[key]
        reason, causes = explain(before, after, p.flow, p.cluster, gained=False)
        _delta(deltas, p).removed.append(ClusterChange(p.cluster, p.env, p.region, reason, causes))
    return sorted(deltas.values(), key=lambda d: (d.space, d.flow))


def _delta(deltas: dict[str, FlowDelta], p: Placement) -> FlowDelta:
    if p.flow not in deltas:
        deltas[p.flow] = FlowDelta(p.space, p.flow)
    return deltas[p.flow]


def explain(before: Fleet | None, after: Fleet | None, flow_name: str, cluster_name: str,
            *, gained: bool) -> tuple[str, tuple[str, ...]]:
    """Why the placement of `flow_name` on `cluster_name` appeared (gained) or disappeared, in words."""
    fb = before.flows.get(flow_name) if before else None
    fa = after.flows.get(flow_name) if after else None
    if fb is None or fa is None:
        return ("new flow", ("new-flow",)) if fb is None else ("flow removed", ("flow-removed",))
    cb, ca = before.clusters.get(cluster_name), after.clusters.get(cluster_name)
    if cb is None or ca is None:
        return ("cluster added", ("cluster-added",)) if cb is None else ("cluster removed", ("cluster-removed",))
    found: list[tuple[str, str]] = []
    found += _selector_reasons(fb, fa, cb, ca)
    found += _space_reasons(before, after, fb, fa, cb, ca)
    found += _region_reasons(before, after, fb, fa, cb, ca)
    found += _cordon_reasons(before, after, fa, cb, ca)
    found += _rule_reasons(before, after, fb, fa, cb, ca)
    found += _fallback_reasons(before, after, fb, fa)
    if fb.space != fa.space:
        found.append(("space-changed", f"flow moved from space `{fb.space}` to `{fa.space}`"))
    if not found:
        found.append(("spread", "picked by spread" if gained else "no longer picked by spread"))
    texts = list(dict.fromkeys(text for _, text in found))
    return "; ".join(texts), tuple(dict.fromkeys(code for code, _ in found))


def _selector_reasons(fb: Flow, fa: Flow, cb: Cluster, ca: Cluster) -> list[tuple[str, str]]:
    if selectors.matches(fb.placement.selector, cb.labels) == selectors.matches(fa.placement.selector, ca.labels):
        return []
    out = []
    if fb.placement.selector != fa.placement.selector:
        out.append(("selector", "placement selector changed"))
    if dict(cb.labels) != dict(ca.labels):
        keys = _selector_keys(fb) | _selector_keys(fa)
        out.append(("cluster-labels", "cluster label changed: " + label_changes(cb, ca, keys)))
    return out


def _selector_keys(flow: Flow) -> set[str]:
    sel = flow.placement.selector
    return set(sel.match_labels) | {r.key for r in sel.match_expressions}


def label_changes(cb: Cluster, ca: Cluster, keys: set[str] | None = None) -> str:
    """`tier gold → silver, pci (none) → true`: the changed labels (those in `keys` when any changed)."""
    changed = sorted(k for k in set(cb.labels) | set(ca.labels) if cb.labels.get(k) != ca.labels.get(k))
    relevant = [k for k in changed if keys and k in keys] or changed
    return ", ".join(f"{k} {cb.labels.get(k, '(none)')} → {ca.labels.get(k, '(none)')}" for k in relevant)


def _blocked(fleet: Fleet, flow: Flow, cluster: Cluster) -> set[str]:
    """Which placement rules exclude the cluster (codes of render.placement.excluded_by)."""
    return {code for code, _words in excluded_by(fleet, flow, cluster)}


def _space_allows(fleet: Fleet, flow: Flow, cluster: Cluster) -> bool:
    return not _blocked(fleet, flow, cluster) & {"space", "dedicated"}


def _space_reasons(before: Fleet, after: Fleet, fb: Flow, fa: Flow, cb: Cluster,
                   ca: Cluster) -> list[tuple[str, str]]:
    if _space_allows(before, fb, cb) == _space_allows(after, fa, ca):
        return []
    sb, sa = before.spaces.get(fb.space), after.spaces.get(fa.space)
    details = []
    if sb is not None and sa is not None and sb.cluster_selector != sa.cluster_selector:
        details.append(f"space `{fa.space}` clusters.selector changed")
    if cb.dedicated_to != ca.dedicated_to:
        details.append(f"cluster dedicated to `{ca.dedicated_to}`" if ca.dedicated_to
                       else "cluster no longer dedicated")
    if not details and dict(cb.labels) != dict(ca.labels):
        details.append("cluster label changed: " + label_changes(cb, ca))
    return [("space", "space restriction: " + ("; ".join(details) or f"space `{fa.space}` changed"))]


def _region_reasons(before: Fleet, after: Fleet, fb: Flow, fa: Flow, cb: Cluster,
                    ca: Cluster) -> list[tuple[str, str]]:
    if ("region" in _blocked(before, fb, cb)) == ("region" in _blocked(after, fa, ca)):
        return []
    if fb.placement.regions != fa.placement.regions:
        regions = ", ".join(fa.placement.regions) or "any"
        return [("region", f"region constraint: flow regions now [{regions}]")]
    return [("region", f"region constraint: cluster region {cb.region} → {ca.region}")]


def _cordon_reasons(before: Fleet, after: Fleet, fa: Flow, cb: Cluster, ca: Cluster) -> list[tuple[str, str]]:
    cordoned_before, cordoned_after = "cordon" in _blocked(before, fa, cb), "cordon" in _blocked(after, fa, ca)
    if cordoned_before == cordoned_after:
        return []
    return [("cordon", "cluster cordoned" if cordoned_after else "cluster cordon lifted")]


def _fallback_reasons(before: Fleet, after: Fleet, fb: Flow, fa: Flow) -> list[tuple[str, str]]:
    """The fallback group in force changed: the primary stopped (or started again) qualifying."""
    from hubctl.usecases.render import fallback
    from hubctl.usecases.render.placement import group_in_force

    gb, ga = group_in_force(before, fb), group_in_force(after, fa)
    if gb == ga:
        return []
    if ga is None:
        return [("fallback", f"back on the primary selection (from {fallback.group_words(fb, gb)})")]
    return [("fallback", f"{fallback.group_words(fa, ga)} in force: {fallback.primary_words(after, fa)}")]


def _amounts(amounts) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(amounts.items())) or "none"


def _rule_reasons(before: Fleet, after: Fleet, fb: Flow, fa: Flow, cb: Cluster, ca: Cluster) -> list[tuple[str, str]]:
    """Taints (#18) and capacity: a taint now (no longer) refused, or the cluster's capacity changed."""
    out = []
    tainted_before, tainted_after = "taint" in _blocked(before, fb, cb), "taint" in _blocked(after, fa, ca)
    if tainted_before != tainted_after:
        out.append(("taint", "cluster tainted (the flow does not tolerate it)" if tainted_after
                    else "taint lifted or now tolerated"))
    if cb.capacity_flows != ca.capacity_flows:
        out.append(("capacity", f"cluster capacity {cb.capacity_flows or 'none'} → {ca.capacity_flows or 'none'}"))
    elif dict(cb.capacity_resources) != dict(ca.capacity_resources):
        out.append(("capacity", f"cluster capacity {_amounts(cb.capacity_resources)} → "
                                f"{_amounts(ca.capacity_resources)}"))
    elif dict(fb.placement.requests) != dict(fa.placement.requests):
        out.append(("capacity", f"flow requests {_amounts(fb.placement.requests)} → "
                                f"{_amounts(fa.placement.requests)}"))
    elif fb.placement.priority != fa.placement.priority:
        out.append(("capacity", f"flow priority {fb.placement.priority} → {fa.placement.priority}"))
    return out
