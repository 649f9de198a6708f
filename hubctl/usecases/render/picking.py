"""PickN: rank the qualifying clusters (preferred affinity score, then a rendezvous hash) and take the N best,
keeping topology spread constraints. Pure functions of one flow and its pool of qualifying clusters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from hubctl.spec import selectors
from hubctl.spec.model import Cluster, Flow, TopologySpread


def hrw(flow: Flow, cluster: Cluster) -> bytes:
    """The rendezvous (highest random weight) hash of a flow on a cluster."""
    return hashlib.sha256(f"{flow.space}/{flow.name}@{cluster.name}".encode()).digest()


def affinity_score(flow: Flow, cluster: Cluster) -> int:
    """The sum of the weights of the flow's preferred terms whose selector matches the cluster."""
    return sum(t.weight for t in flow.placement.preferred if selectors.matches(t.selector, cluster.labels))


def ranked(flow: Flow, pool: list[Cluster]) -> list[Cluster]:
    """Best first: the highest affinity score, then the highest rendezvous hash (stable: adding or removing an
    unrelated cluster does not reorder the others)."""
    if not flow.placement.preferred:
        return sorted(pool, key=lambda c: hrw(flow, c), reverse=True)
    return sorted(pool, key=lambda c: (affinity_score(flow, c), hrw(flow, c)), reverse=True)


@dataclass
class Pick:
    """The clusters picked, and for DoNotSchedule constraints that could not be kept, the short domains."""

    chosen: list[Cluster]
    short: list[tuple[TopologySpread, list[str]]] = field(default_factory=list)  # (constraint, domains)


def pick(flow: Flow, pool: list[Cluster]) -> Pick:
    """The clusters `flow` lands on among `pool` (its qualifying clusters)."""
    want = flow.placement.wanted
    if want is None:
        return Pick(list(pool))
    order = ranked(flow, pool)
    across = flow.placement.spread.get("across") if flow.placement.spread else None
    if flow.placement.topology:
        return topology_pick(flow.placement.topology, order, want)
    if across:
        return Pick(across_pick(order, want, across))
    return Pick(order[:want])


def across_pick(order: list[Cluster], want: int, across: str) -> list[Cluster]:
    """spread.across: the best cluster of each distinct `across` value first, then the best of the rest."""
    chosen: list[Cluster] = []
    seen: set[str] = set()
    for cluster in order:
        value = cluster.labels.get(across, "")
        if value not in seen and len(chosen) < want:
            seen.add(value)
            chosen.append(cluster)
    for cluster in order:
        if len(chosen) >= want:
            break
        if cluster not in chosen:
            chosen.append(cluster)
    return chosen


class Domains:
    """Picks per topology domain (values of one label among the qualifying clusters) for one constraint."""

    def __init__(self, constraint: TopologySpread, pool: list[Cluster]):
        self.constraint = constraint
        self.key = constraint.topology_key
        self.counts = dict.fromkeys(sorted({c.labels[self.key] for c in pool if self.key in c.labels}), 0)

    def skew_after(self, cluster: Cluster) -> int:
        """The skew (picks in the cluster's domain minus the least picked domain) if `cluster` were added."""
        domain = cluster.labels.get(self.key)
        if domain is None:
            return 0
        low = min(n + (d == domain) for d, n in self.counts.items())
        return self.counts[domain] + 1 - low

    def fits(self, cluster: Cluster) -> bool:
        return self.skew_after(cluster) <= self.constraint.max_skew

    def add(self, cluster: Cluster) -> None:
        if self.key in cluster.labels:
            self.counts[cluster.labels[self.key]] += 1

    def short(self, remaining: list[Cluster]) -> list[str]:
        """The least picked domains that have no qualifying cluster left (why the skew cannot be kept)."""
        low = min(self.counts.values(), default=0)
        left = {c.labels.get(self.key) for c in remaining}
        return [d for d, n in self.counts.items() if n == low and d not in left]


def labelled(constraints, pool: list[Cluster]) -> list[Cluster]:
    """The clusters that carry the label of every DoNotSchedule constraint (the others do not qualify)."""
    keys = [k.topology_key for k in constraints if k.when_unsatisfiable == "DoNotSchedule"]
    return [c for c in pool if all(key in c.labels for key in keys)]


def topology_pick(constraints, order: list[Cluster], want: int) -> Pick:
    """Greedy in rank order: the best cluster that keeps every DoNotSchedule constraint within its maxSkew and,
    where possible, every ScheduleAnyway one (else the least skewed; clusters without a ScheduleAnyway
    constraint's label come after those with it). Clusters without a DoNotSchedule constraint's label do not
    qualify."""
    remaining = labelled(constraints, order)
    domains = [Domains(k, remaining) for k in constraints]
    hard = [d for d in domains if d.constraint.when_unsatisfiable == "DoNotSchedule"]
    soft = [d for d in domains if d.constraint.when_unsatisfiable != "DoNotSchedule"]
    chosen: list[Cluster] = []
    while len(chosen) < want and remaining:
        fits = [c for c in remaining if all(d.fits(c) for d in hard)]
        if not fits:
            break
        best = min(fits, key=lambda c: (sum(max(0, d.skew_after(c) - d.constraint.max_skew) for d in soft),
                                        sum(d.key not in c.labels for d in soft)))
        chosen.append(best)
        remaining.remove(best)
        for d in domains:
            d.add(best)
    short = [(d.constraint, d.short(remaining)) for d in hard] if len(chosen) < want and hard else []
    return Pick(chosen, [(k, names) for k, names in short if names])
