"""Capacity: a cluster that declares `spec.capacity.flows: N` takes at most N flows.

Flows are placed one after another in a fixed order, higher `placement.priority` first, then by flow name;
each takes its pick among the qualifying clusters that still have room. So placement never exceeds a
capacity, the result is a pure function of the specs, and a flow that did not fit knows which flows
filled the clusters it wanted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hubctl.spec.model import Cluster, Fleet, Flow
from hubctl.usecases.render import picking


@dataclass
class Allocation:
    chosen: dict[str, list[Cluster]] = field(default_factory=dict)  # flow -> the clusters it lands on
    full: dict[str, list[str]] = field(default_factory=dict)  # flow -> qualifying clusters that were full
    taken: dict[str, list[str]] = field(default_factory=dict)  # cluster -> its flows, in placement order
    short: dict[str, list] = field(default_factory=dict)  # flow -> topology domains short (picking.Pick.short)


def limited(fleet: Fleet) -> bool:
    """Whether any cluster declares a capacity (else every flow is placed on its own)."""
    if "capacity_limited" not in fleet.cache:
        fleet.cache["capacity_limited"] = any(c.capacity_flows is not None for c in fleet.clusters.values())
    return fleet.cache["capacity_limited"]


def placement_order(fleet: Fleet) -> list[Flow]:
    """The order flows take capacity in: higher priority first, then by name."""
    return sorted(fleet.flows.values(), key=lambda f: (-f.placement.priority, f.name))


def allocation(fleet: Fleet, candidates: Callable[[Fleet, Flow], list[Cluster]]) -> Allocation:
    """Every flow's clusters within the capacities (computed once per fleet)."""
    if "allocation" in fleet.cache:
        return fleet.cache["allocation"]
    room = {n: c.capacity_flows for n, c in fleet.clusters.items() if c.capacity_flows is not None}
    out = Allocation(taken={n: [] for n in sorted(room)})
    for flow in placement_order(fleet):
        pool = candidates(fleet, flow)
        out.full[flow.name] = [c.name for c in pool if room.get(c.name, 1) <= 0]
        result = picking.pick(flow, [c for c in pool if room.get(c.name, 1) > 0])
        out.chosen[flow.name], out.short[flow.name] = result.chosen, result.short
        for cluster in result.chosen:
            if cluster.name in room:
                room[cluster.name] -= 1
                out.taken[cluster.name].append(flow.name)
    fleet.cache["allocation"] = out
    return out
