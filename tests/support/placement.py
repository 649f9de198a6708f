"""Small in-memory fleets for placement tests: real model objects, no files (the solver is a pure function)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from hubctl.spec.model import (
    Cluster,
    FallbackGroup,
    Fleet,
    Flow,
    Hub,
    Origin,
    Placement,
    PreferredTerm,
    Selector,
    Space,
    Taint,
    Toleration,
    TopologySpread,
)
from hubctl.usecases.render.placement import compute_placements, placements_for


def cluster(name: str, labels: dict | None = None, *, env="prod", region="eu-west", taints=(), capacity=None,
            dedicated=None, keep=None) -> Cluster:
    all_labels = {"env": env, "region": region, "provider": "eks", **(labels or {})}
    return Cluster(name, Origin(f"clusters/{name}.yaml"), f"https://{name}.example.com", "eks", env, region,
                   labels=MappingProxyType(dict(sorted(all_labels.items()))), dedicated_to=dedicated,
                   taints=tuple(Taint(*t) for t in taints), capacity_flows=capacity,
                   cordon_keep=frozenset(keep) if keep is not None else None)


def flow(name: str, *, space="team", selector: dict | None = None, pick=None, spread=None, tolerations=(),
         preferred=(), topology=(), priority=0, fallback=(), regions=()) -> Flow:
    placement = Placement(
        Selector(MappingProxyType(selector or {})), spread=MappingProxyType(spread) if spread else None, pick=pick,
        tolerations=tuple(Toleration(**t) for t in tolerations),
        preferred=tuple(PreferredTerm(w, Selector(MappingProxyType(s))) for w, s in preferred),
        topology=tuple(TopologySpread(*t) for t in topology), priority=priority, regions=tuple(regions),
        fallback=tuple(FallbackGroup(Selector(MappingProxyType(s))) for s in fallback))
    return Flow(name, Origin(f"flows/{name}.yaml"), space, space, placement, blueprint="http-service")


def fleet(clusters, flows, spaces=("team",)) -> Fleet:
    return Fleet(Path("."), Hub("hub", Origin("hubctl.yaml")),
                 {c.name: c for c in clusters},
                 {s: Space(s, Origin(f"spaces/{s}.yaml"), (s,), ("owners",)) for s in spaces},
                 {f.name: f for f in flows}, {})


def placed(f: Fleet, flow_name: str | None = None) -> set:
    """Cluster names of one flow, or every (flow, cluster) pair."""
    if flow_name is not None:
        return {p.cluster for p in placements_for(f, f.flows[flow_name])}
    return {(p.flow, p.cluster) for p in compute_placements(f)}


def changed(f: Fleet, clusters=None, flows=None) -> Fleet:
    """`f` with some clusters or flows replaced (or added), derived values recomputed."""
    new_clusters = {**f.clusters, **{c.name: c for c in clusters or ()}}
    new_flows = {**f.flows, **{x.name: x for x in flows or ()}}
    return replace(f, clusters=new_clusters, flows=new_flows, cache={})


def without(f: Fleet, cluster_name: str) -> Fleet:
    return replace(f, clusters={n: c for n, c in f.clusters.items() if n != cluster_name}, cache={})
