"""The #18 part of bench_placement_stability.py: the fleetgen fleet with every placement rule in use, and
one cluster added, removed, tainted or filled at a time; hubctl's solver side by side with a naive one.

Rules given in memory (fleetgen.py unchanged), deterministic from the flow and cluster names:
  every second flow      pick 3, preferred {weight 40, tier=gold}, topologySpreadConstraints over region
                         (maxSkew 1, ScheduleAnyway)
  every tenth cluster    taint gpu=true:NoSchedule; every fourth flow tolerates gpu (Exists)
  every fifth cluster    capacity.flows = the number of flows placed there without capacities (exactly full)
  every eighth flow      (a pick flow) placed in one region, its first, with one fallback group: the same
                         environments in the next region of fleetgen's list (Karmada-style failover)
Events, each on one sampled cluster: add a clone of it, remove it, taint it maint=now:NoExecute (no flow
tolerates it), fill it (capacity one below its load), and an outage of its whole region (every cluster of
the region tainted outage=now:NoExecute): flows with a fallback group move to it, the others re-pick.

Contenders, on the same candidates and the same capacity order (priority, then name):
  hubctl   render/placement: rank by affinity score then rendezvous hash, topology-aware greedy pick
  naive    mod-N: candidates with room sorted by name, N consecutive from hash(flow) % len, no preferences
"""

from __future__ import annotations

import hashlib
import statistics
from dataclasses import replace
from types import MappingProxyType

from hubctl.spec.model import FallbackGroup, PreferredTerm, Selector, Taint, Toleration, TopologySpread
from hubctl.spec.selectors import selector_from
from hubctl.usecases.render import capacity
from hubctl.usecases.render import placement as placing

GOLD = PreferredTerm(40, Selector(MappingProxyType({"tier": "gold"})))
REGION_SPREAD = TopologySpread("region", 1, "ScheduleAnyway")
GPU = Taint("gpu", "true", "NoSchedule")
OUTAGE = Taint("outage", "now", "NoExecute")
REGIONS = ["eu-west", "eu-central", "us-east", "us-west", "ap-southeast"]  # fleetgen's


def _values(selector: Selector, key: str) -> list[str]:
    return next((list(r.values) for r in selector.match_expressions if r.key == key), [])


def _with_fallback(p):
    """One region (the flow's first) and a fallback group in the next region, same environments."""
    envs, regions = _values(p.selector, "env"), _values(p.selector, "region")
    if not envs or not regions:
        return p
    spare = REGIONS[(REGIONS.index(regions[0]) + 1) % len(REGIONS)]

    def where(region: str) -> Selector:
        return selector_from({"matchExpressions": [{"key": "env", "operator": "In", "values": envs},
                                                   {"key": "region", "operator": "In", "values": [region]}]})

    return replace(p, selector=where(regions[0]), fallback=(FallbackGroup(where(spare)),))


def with_rules(fleet):
    """The fleet with the rules above (capacities sized from the placement without them)."""
    flows = {}
    for i, (name, flow) in enumerate(sorted(fleet.flows.items())):
        p = flow.placement
        if i % 2 == 0:
            p = replace(p, pick=3, preferred=(GOLD,), topology=(REGION_SPREAD,))
        if i % 4 == 1:
            p = replace(p, tolerations=(Toleration("gpu", "Exists"),))
        if i % 8 == 0:
            p = _with_fallback(p)
        flows[name] = replace(flow, placement=p)
    clusters = dict(fleet.clusters)
    for i, name in enumerate(sorted(clusters)):
        if i % 10 == 3:
            clusters[name] = replace(clusters[name], taints=(GPU,))
    tainted = replace(fleet, flows=flows, clusters=clusters, cache={})
    load = _load(hubctl_placed(tainted))
    for i, name in enumerate(sorted(clusters)):
        if i % 5 == 0:
            clusters[name] = replace(clusters[name], capacity_flows=load.get(name, 0))
    return replace(tainted, clusters=clusters, cache={})


def _load(pairs) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, cluster in pairs:
        out[cluster] = out.get(cluster, 0) + 1
    return out


def hubctl_placed(fleet) -> set[tuple[str, str]]:
    return {(p.flow, p.cluster) for p in placing.compute_placements(fleet)}


def naive_placed(fleet) -> set[tuple[str, str]]:
    room = {n: c.capacity_flows for n, c in fleet.clusters.items() if c.capacity_flows is not None}
    out = set()
    for flow in capacity.placement_order(fleet):
        pool = [c for c in placing.candidates(fleet, flow) if room.get(c.name, 1) > 0]
        want = flow.placement.wanted
        if want is not None and pool:
            start = int.from_bytes(hashlib.sha256(flow.name.encode()).digest()[:8], "big") % len(pool)
            pool = [pool[(start + k) % len(pool)] for k in range(min(want, len(pool)))]
        for cluster in pool:
            out.add((flow.name, cluster.name))
            if cluster.name in room:
                room[cluster.name] -= 1
    return out


def events(fleet, name: str, placed: set[tuple[str, str]]):
    """(kind, fleet after the event, the clusters the event concerns)."""
    clusters = dict(fleet.clusters)
    c = clusters[name]
    grown = {**clusters, f"{name}-new": replace(c, name=f"{name}-new", server=f"https://{name}-new.example.com",
                                                 capacity_flows=None)}
    load = _load(placed).get(name, 0)
    region = {n for n, x in clusters.items() if x.region == c.region}
    out = {**clusters, **{n: replace(clusters[n], taints=(*clusters[n].taints, OUTAGE)) for n in region}}
    return [
        ("add", replace(fleet, clusters=grown, cache={}), {f"{name}-new"}),
        ("remove", replace(fleet, clusters={n: x for n, x in clusters.items() if n != name}, cache={}), {name}),
        ("taint", replace(fleet, clusters={**clusters, name: replace(c, taints=(*c.taints, Taint(
            "maint", "now", "NoExecute")))}, cache={}), {name}),
        ("fill", replace(fleet, clusters={**clusters, name: replace(c, capacity_flows=max(0, load - 1))},
                         cache={}), {name}),
        ("outage", replace(fleet, clusters=out, cache={}), region),
    ]


def fallen_back(fleet) -> int:
    """Flows placed by a fallback group (hubctl and naive share the candidates, so the same flows)."""
    return sum(1 for f in fleet.flows.values() if f.placement.fallback and placing.group_in_force(fleet, f) is not None)


KINDS = ("add", "remove", "taint", "fill", "outage")


def measure(fleet, sampled: list[str]) -> dict:
    """Per contender and event kind: placements moved off clusters the event did not touch (median, total),
    and what the event forces: the placements on the touched cluster that leave it, or for an add the pick
    flows' placements the new cluster won (each displaces one: the least an add can move)."""
    solvers = {"hubctl": hubctl_placed, "naive": naive_placed}
    base = {k: solve(fleet) for k, solve in solvers.items()}
    out: dict = {k: {"placements": len(v)} for k, v in base.items()}
    for name in sampled:
        for contender, solve in solvers.items():
            for kind, after_fleet, touched in events(fleet, name, base[contender]):
                after = solve(after_fleet)
                moved = sum(1 for _, c in base[contender] - after if c not in touched)
                forced = (sum(1 for f, c in after if c in touched and fleet.flows[f].placement.wanted)
                          if kind == "add" else sum(1 for _, c in base[contender] - after if c in touched))
                out[contender].setdefault(kind, {"moved": [], "forced": [], "fell_back": []})
                out[contender][kind]["moved"].append(moved)
                out[contender][kind]["forced"].append(forced)
                out[contender][kind]["fell_back"].append(fallen_back(after_fleet))
    for contender in solvers:
        for kind in KINDS:
            r = out[contender][kind]
            out[contender][kind] = {"moved_median": statistics.median(r["moved"]), "moved_total": sum(r["moved"]),
                                    "forced_total": sum(r["forced"]), "fell_back_total": sum(r["fell_back"])}
    return out


def time_solver(fleet, runs: int) -> float:
    """Median seconds of compute_placements on a fresh cache."""
    import time

    times = []
    for _ in range(runs):
        fresh = replace(fleet, cache={})
        start = time.perf_counter()
        placing.compute_placements(fresh)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def outage_without_capacity(fleet, sampled: list[str]) -> int:
    """hubctl's outage moves (placements off clusters outside the region) on the same fleet without any
    capacity: what is left when no full cluster pushes a later flow out (the minimum is 0)."""
    free = replace(fleet, clusters={n: replace(c, capacity_flows=None) for n, c in fleet.clusters.items()}, cache={})
    base = hubctl_placed(free)
    moved = 0
    for name in sampled:
        _, after_fleet, touched = events(free, name, base)[KINDS.index("outage")]
        moved += sum(1 for _, c in base - hubctl_placed(after_fleet) if c not in touched)
    return moved
