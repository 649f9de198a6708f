"""Placement: which flow lands on which cluster. Computed once, from the specs; everything else
(ApplicationSets, spoke files, validation, status, diff) reads it from here."""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple

from hubctl.spec import selectors
from hubctl.spec.model import Cluster, Fleet, Flow, Selector
from hubctl.usecases.render import capacity, picking, taints


class Placement(NamedTuple):
    """A flow placed on a cluster. A named tuple: immutable, ordered field by field, and made in C (a fleet
    of 4,000 clusters makes 162,400 of them)."""

    space: str
    flow: str
    cluster: str
    app_name: str
    namespace: str
    env: str
    region: str
    provider: str


_BY_NAME = attrgetter("name")
_SPACE_FLOW = attrgetter("space", "name")


def app_name(flow: str, cluster: str) -> str:
    """The name of the Application Argo CD generates for a placement."""
    return f"{flow}-{cluster}"


def excluded_by(fleet: Fleet, flow: Flow, cluster: Cluster) -> list[tuple[str, str]]:
    """The rules that keep `cluster` from being a candidate for `flow`, as (code, words) pairs.

    The selector is the one in force (the fallback group's while one is: `group_in_force`).
    Codes: selector, space, dedicated, region, cordon, taint. The one statement of the placement rules that
    explanations (placement --explain, diff, drain) read; `candidates` is its fast form. Dedication and cordon
    are taints (render/taints.py); capacity and the pick rank are not exclusions (see `refusals`).
    """
    reasons = []
    selector = selector_in_force(fleet, flow)
    if not selectors.matches(selector, cluster.labels):
        failed = [text for held, text in selectors.explain(selector, cluster.labels) if not held]
        group = group_in_force(fleet, flow)
        what = "placement selector" if group is None else f"fallback group {group + 1} (in force) selector"
        reasons.append(("selector", f"{what} does not match: " + "; ".join(failed)))
    space = fleet.spaces.get(flow.space)
    if space is not None and not selectors.matches(space.cluster_selector, cluster.labels):
        reasons.append(("space", f"space `{flow.space}` may not use it (its clusters.selector does not match)"))
    refused = taints.untolerated(flow, cluster)
    if any(t.key == taints.DEDICATED for t in refused):
        reasons.append(("dedicated", f"dedicated to space `{cluster.dedicated_to}`"))
    if flow.placement.regions and cluster.region not in flow.placement.regions:
        reasons.append(("region", f"region `{cluster.region}` is outside the flow's regions "
                                  f"[{', '.join(flow.placement.regions)}]"))
    if any(t.key == taints.CORDONED for t in refused):
        reasons.append(("cordon", "cordoned (only the flows in its spec.cordon.keep stay; no new placements)"))
    for taint in refused:
        if taint.key not in taints.CODES:
            reasons.append(("taint", f"taint `{taint}` is not tolerated (to place it there, add "
                                      f"{taints.hint(taint)} to spec.placement.tolerations)"))
    return reasons


def exclusions(fleet: Fleet, flow: Flow, cluster: Cluster) -> list[str]:
    """Why `cluster` is not a candidate for `flow` (empty when it is), in words."""
    return [words for _code, words in excluded_by(fleet, flow, cluster)]


def label_index(fleet: Fleet) -> selectors.LabelIndex:
    if "label_index" not in fleet.cache:
        fleet.cache["label_index"] = selectors.LabelIndex({n: c.labels for n, c in fleet.clusters.items()})
    return fleet.cache["label_index"]


def space_clusters(fleet: Fleet, space_name: str) -> frozenset[str]:
    """Clusters a space may use: its selector matches and the cluster is not dedicated to another space."""
    key = ("space_clusters", space_name)
    if key not in fleet.cache:
        space = fleet.spaces.get(space_name)
        names = label_index(fleet).select(space.cluster_selector) if space else frozenset(fleet.clusters)
        elsewhere = {n for n, dedicated in dedications(fleet).items() if dedicated != space_name}
        fleet.cache[key] = names - elsewhere if elsewhere else names
    return fleet.cache[key]


def dedications(fleet: Fleet) -> dict[str, str]:
    """The clusters dedicated to a space, and to which."""
    if "dedications" not in fleet.cache:
        fleet.cache["dedications"] = {n: c.dedicated_to for n, c in fleet.clusters.items() if c.dedicated_to}
    return fleet.cache["dedications"]


def space_selected(fleet: Fleet, space_name: str) -> frozenset[str]:
    """Clusters the space's clusters.selector matches (dedications are taints: see `candidates`)."""
    key = ("space_selected", space_name)
    if key not in fleet.cache:
        space = fleet.spaces.get(space_name)
        fleet.cache[key] = label_index(fleet).select(space.cluster_selector) if space else frozenset(fleet.clusters)
    return fleet.cache[key]


def cordoned(fleet: Fleet) -> dict[str, frozenset[str]]:
    """Cordoned clusters -> the flows that may stay on them (from spec.cordon.keep)."""
    if "cordoned" not in fleet.cache:
        fleet.cache["cordoned"] = {n: c.cordon_keep for n, c in fleet.clusters.items() if c.cordon_keep is not None}
    return fleet.cache["cordoned"]


def tainted(fleet: Fleet) -> frozenset[str]:
    """Clusters with any effective taint (their own, a cordon, a dedication)."""
    if "tainted" not in fleet.cache:
        fleet.cache["tainted"] = frozenset(n for n, c in fleet.clusters.items() if taints.effective_taints(c))
    return fleet.cache["tainted"]


def qualifying(fleet: Fleet, flow: Flow, selector: Selector) -> list[Cluster]:
    """Clusters `selector`, the flow's space, its regions and the clusters' taints all allow, sorted by name."""
    names = label_index(fleet).select(selector) & space_selected(fleet, flow.space)
    if flow.placement.regions:
        names = {n for n in names if fleet.clusters[n].region in flow.placement.regions}
    marked = tainted(fleet)
    if marked:
        names = {n for n in names if n not in marked or not taints.untolerated(flow, fleet.clusters[n])}
    return [fleet.clusters[n] for n in sorted(names)]


def enough(flow: Flow, count: int) -> bool:
    """Whether `count` qualifying clusters satisfy the flow: its pick/spread count, or one for an all-flow."""
    return count >= (flow.placement.wanted or 1)


def group_in_force(fleet: Fleet, flow: Flow) -> int | None:
    """The index of the fallback group the flow is placed by (None: its primary selector).

    Karmada's ordered cluster affinities: the primary while it qualifies (enough clusters pass every rule),
    else the first fallback group that does; when none does, the primary (what is left of it). So a flow comes
    back as soon as its primary qualifies again: placement is a function of the specs, not of history.
    """
    key = ("fallback", flow.name)
    if key not in fleet.cache:
        group = None
        if flow.placement.fallback and not enough(flow, len(qualifying(fleet, flow, flow.placement.selector))):
            group = next((i for i, g in enumerate(flow.placement.fallback)
                          if enough(flow, len(qualifying(fleet, flow, g.selector)))), None)
        fleet.cache[key] = group
    return fleet.cache[key]


def selector_in_force(fleet: Fleet, flow: Flow) -> Selector:
    """The selector the flow is placed by: its own, or that of the fallback group in force."""
    group = group_in_force(fleet, flow)
    return flow.placement.selector if group is None else flow.placement.fallback[group].selector


def candidates(fleet: Fleet, flow: Flow) -> list[Cluster]:
    """Clusters the flow's selector (or the fallback group in force), its space, its regions and the clusters'
    taints all allow, sorted by name.

    A cordoned cluster stays a candidate only for the flows its cordon keeps (they tolerate its cordon taint),
    so a cordon is a pure function of the specs: nothing new lands there and the kept flows keep their rank.
    """
    return qualifying(fleet, flow, selector_in_force(fleet, flow))


_score = picking.hrw  # the rendezvous hash (benchmarks compare against it)


def spread(flow: Flow, pool: list[Cluster]) -> list[Cluster]:
    """The clusters a flow with `pick` or `spread` takes among `pool` (render/picking.py).

    Rendezvous (highest random weight) hashing is stable: adding or removing an unrelated cluster
    moves at most the placements that cluster itself wins or held.
    """
    return picking.pick(flow, pool).chosen


def chosen_for(fleet: Fleet, flow: Flow) -> list[Cluster]:
    """The clusters `flow` lands on: its candidates, picked (pick/spread/topology), within capacities."""
    if capacity.limited(fleet):
        return capacity.allocation(fleet, candidates).chosen[flow.name]
    return picking.pick(flow, candidates(fleet, flow)).chosen


def placements_for(fleet: Fleet, flow: Flow) -> list[Placement]:
    """The flow's placements, sorted by cluster name."""
    key = ("placements", flow.name)
    if key not in fleet.cache:
        space, name, namespace = flow.space, flow.name, flow.namespace
        pool = sorted(chosen_for(fleet, flow), key=_BY_NAME)  # one flow: the placement order is the cluster's
        fleet.cache[key] = [Placement(space, name, c.name, f"{name}-{c.name}", namespace, c.environment, c.region,
                                      c.provider) for c in pool]
    return fleet.cache[key]


def compute_placements(fleet: Fleet) -> list[Placement]:
    """Every placement of the fleet, sorted by space, flow and cluster (computed once per fleet)."""
    if "placements" not in fleet.cache:
        out: list[Placement] = []
        # each flow's placements are sorted by cluster: joined in (space, flow) order they are sorted
        for flow in sorted(fleet.flows.values(), key=_SPACE_FLOW):
            out.extend(placements_for(fleet, flow))
        fleet.cache["placements"] = out
    return fleet.cache["placements"]
