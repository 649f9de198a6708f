"""Placement: which flow lands on which cluster. Computed once, from the specs; everything else
(ApplicationSets, spoke files, validation, status, diff) reads it from here."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from hubctl.render import capacity, picking, taints
from hubctl.spec import selectors
from hubctl.spec.model import Cluster, Fleet, Flow


@dataclass(frozen=True, order=True)
class Placement:
    space: str
    flow: str
    cluster: str
    app_name: str
    namespace: str
    env: str
    region: str
    provider: str


_ORDER = attrgetter("space", "flow", "cluster")  # unique per placement: the dataclass order, faster


def app_name(flow: str, cluster: str) -> str:
    """The name of the Application Argo CD generates for a placement."""
    return f"{flow}-{cluster}"


def excluded_by(fleet: Fleet, flow: Flow, cluster: Cluster) -> list[tuple[str, str]]:
    """The rules that keep `cluster` from being a candidate for `flow`, as (code, words) pairs.

    Codes: selector, space, dedicated, region, cordon, taint. The one statement of the placement rules that
    explanations (placement --explain, diff, drain) read; `candidates` is its fast form. Dedication and cordon
    are taints (render/taints.py); capacity and the pick rank are not exclusions (see `refusals`).
    """
    reasons = []
    if not selectors.matches(flow.placement.selector, cluster.labels):
        failed = [text for held, text in selectors.explain(flow.placement.selector, cluster.labels) if not held]
        reasons.append(("selector", "placement selector does not match: " + "; ".join(failed)))
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
        fleet.cache[key] = frozenset(n for n in names if fleet.clusters[n].dedicated_to in (None, space_name))
    return fleet.cache[key]


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


def candidates(fleet: Fleet, flow: Flow) -> list[Cluster]:
    """Clusters the flow's selector, its space, its regions and the clusters' taints all allow, sorted by name.

    A cordoned cluster stays a candidate only for the flows its cordon keeps (they tolerate its cordon taint),
    so a cordon is a pure function of the specs: nothing new lands there and the kept flows keep their rank.
    """
    names = label_index(fleet).select(flow.placement.selector) & space_selected(fleet, flow.space)
    if flow.placement.regions:
        names = {n for n in names if fleet.clusters[n].region in flow.placement.regions}
    marked = tainted(fleet)
    if marked:
        names = {n for n in names if n not in marked or not taints.untolerated(flow, fleet.clusters[n])}
    return [fleet.clusters[n] for n in sorted(names)]


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
    key = ("placements", flow.name)
    if key not in fleet.cache:
        pool = chosen_for(fleet, flow)
        fleet.cache[key] = sorted(
            (Placement(flow.space, flow.name, c.name, app_name(flow.name, c.name), flow.namespace,
                       c.environment, c.region, c.provider) for c in pool), key=_ORDER)
    return fleet.cache[key]


def compute_placements(fleet: Fleet) -> list[Placement]:
    """Every placement of the fleet, sorted by space, flow and cluster (computed once per fleet)."""
    if "placements" not in fleet.cache:
        out: list[Placement] = []
        for _, flow in sorted(fleet.flows.items()):
            out.extend(placements_for(fleet, flow))
        fleet.cache["placements"] = sorted(out, key=_ORDER)
    return fleet.cache["placements"]
