"""Capacity: a cluster that declares `spec.capacity` takes at most `flows` flows and at most its declared amount
of each resource (`cpu: 64`, `memory: 256Gi`, `nvidia.com/gpu: 4`), which the flows placed there request
(`spec.placement.requests`, per placement).

Flows are placed one after another in a fixed order, higher `placement.priority` first, then by flow name;
each takes its pick among the qualifying clusters that still have room for it (a flow slot, and every
resource it requests that the cluster declares; a resource a cluster does not declare is not limited there).
So placement never exceeds a capacity, the result is a pure function of the specs, and a flow that did not
fit knows which flows filled the clusters it wanted, and of what.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from hubctl.spec.model import Cluster, Fleet, Flow
from hubctl.usecases.render import picking

_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
_SCALE = {None: 1, "m": Fraction(1, 1000), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15,
          "E": 10**18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
QUANTITY_PATTERN = _QUANTITY.pattern  # the schemas' pattern for a quantity written as a string


def quantity(value) -> Fraction:
    """A Kubernetes quantity (64, "500m", "256Gi", "1.5", or a number as YAML read it) as an exact number.

    Raises:
        ValueError: when `value` is not a quantity (the schema refuses those first).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # as YAML read it: 8, 1e-07, 0.5
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a quantity: {value!r}")
        return Fraction(repr(value))
    match = _QUANTITY.match(str(value))
    if not match:
        raise ValueError(f"not a quantity: {value!r}")
    return Fraction(match.group(1)) * _SCALE[match.group(2)]


def shown(amount: Fraction) -> str:
    """An amount as a person writes it: 8, 500m, 64Gi."""
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        if amount >= _SCALE[suffix] and amount % _SCALE[suffix] == 0:
            return f"{amount // _SCALE[suffix]}{suffix}"
    if amount.denominator == 1:
        return str(amount.numerator)
    milli = amount * 1000
    return f"{milli.numerator}m" if milli.denominator == 1 else str(float(amount))


@dataclass
class Allocation:
    chosen: dict[str, list[Cluster]] = field(default_factory=dict)  # flow -> the clusters it lands on
    full: dict[str, list[str]] = field(default_factory=dict)  # flow -> qualifying clusters without room for it
    taken: dict[str, list[str]] = field(default_factory=dict)  # cluster -> its flows, in placement order
    short: dict[str, list] = field(default_factory=dict)  # flow -> topology domains short (picking.Pick.short)
    why: dict[str, dict[str, str]] = field(default_factory=dict)  # flow -> full cluster -> why, in words
    used: dict[str, dict[str, list[tuple[str, Fraction]]]] = field(default_factory=dict)  # cluster -> resource ->
    #                                                                  (flow, amount), in placement order


def declares(cluster: Cluster) -> bool:
    """Whether the cluster declares any capacity (flows or resources)."""
    return cluster.capacity_flows is not None or bool(cluster.capacity_resources)


def limited(fleet: Fleet) -> bool:
    """Whether any cluster declares a capacity (else every flow is placed on its own)."""
    if "capacity_limited" not in fleet.cache:
        fleet.cache["capacity_limited"] = any(declares(c) for c in fleet.clusters.values())
    return fleet.cache["capacity_limited"]


def placement_order(fleet: Fleet) -> list[Flow]:
    """The order flows take capacity in: higher priority first, then by name."""
    return sorted(fleet.flows.values(), key=lambda f: (-f.placement.priority, f.name))


def _taken_by(pairs: list[tuple[str, Fraction]]) -> str:
    return ", ".join(f"{flow} {shown(amount)}" for flow, amount in pairs)


class _Room:
    """What each cluster has left while flows are placed in order."""

    def __init__(self, fleet: Fleet, out: Allocation):
        self.fleet, self.out = fleet, out
        self.slots = {n: c.capacity_flows for n, c in fleet.clusters.items() if c.capacity_flows is not None}
        self.left = {n: {k: quantity(v) for k, v in c.capacity_resources.items()}
                     for n, c in fleet.clusters.items() if c.capacity_resources}

    def refusal(self, flow: Flow, name: str) -> str | None:
        """Why `name` has no room for `flow` (None: it has)."""
        if self.slots.get(name, 1) <= 0:
            cluster = self.fleet.clusters[name]
            return f"capacity {cluster.capacity_flows}, taken by {', '.join(self.out.taken[name]) or 'nothing'}"
        left = self.left.get(name, {})
        for key, value in sorted(flow.placement.requests.items()):
            need = quantity(value)
            if key in left and left[key] < need:
                total = quantity(self.fleet.clusters[name].capacity_resources[key])
                users = self.out.used.get(name, {}).get(key, [])
                return (f"{key}: needs {shown(need)}, {shown(left[key])} of {shown(total)} left"
                        + (f" (taken by {_taken_by(users)})" if users else ""))
        return None

    def take(self, flow: Flow, name: str) -> None:
        if name in self.slots:
            self.slots[name] -= 1
        if name in self.slots or name in self.left:
            self.out.taken.setdefault(name, []).append(flow.name)
        for key, value in sorted(flow.placement.requests.items()):
            if key in self.left.get(name, {}):
                self.left[name][key] -= quantity(value)
                self.out.used.setdefault(name, {}).setdefault(key, []).append((flow.name, quantity(value)))


def allocation(fleet: Fleet, candidates: Callable[[Fleet, Flow], list[Cluster]]) -> Allocation:
    """Every flow's clusters within the capacities (computed once per fleet)."""
    if "allocation" in fleet.cache:
        return fleet.cache["allocation"]
    out = Allocation(taken={n: [] for n, c in sorted(fleet.clusters.items()) if declares(c)})
    room = _Room(fleet, out)
    for flow in placement_order(fleet):
        pool = candidates(fleet, flow)
        refused = {c.name: why for c in pool if (why := room.refusal(flow, c.name)) is not None}
        out.full[flow.name], out.why[flow.name] = list(refused), refused
        result = picking.pick(flow, [c for c in pool if c.name not in refused])
        out.chosen[flow.name], out.short[flow.name] = result.chosen, result.short
        for cluster in result.chosen:
            room.take(flow, cluster.name)
    fleet.cache["allocation"] = out
    return out
