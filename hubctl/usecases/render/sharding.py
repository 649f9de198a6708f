"""Placement-aware controller sharding: which Argo CD application-controller shard manages each cluster.

Argo CD's own algorithms (legacy, round-robin, consistent-hashing) do not know how many Applications each
cluster carries; hubctl does (its placements). `assign_shards` writes a shard per cluster so that the
Applications per shard are balanced and a new cluster moves few others, as a pure function of the
specs: see docs/architecture.md, "Controller sharding".

The simulations of Argo CD's algorithms (controller/sharding/sharding.go and consistent/consistent.go,
Argo CD v3) are here too: the benchmark and the tests compare against them.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, deque
from collections.abc import Iterable, Mapping

ALGORITHMS = ("hubctl", "legacy", "round-robin", "consistent-hashing")
BALANCE = 1.02  # a shard's capacity: BALANCE times the mean Applications per shard
GOAL = 1.05  # the fullest shard at most GOAL times the mean, where the clusters allow it


def applications_per_cluster(placements: Iterable, clusters: Iterable[str]) -> dict[str, int]:
    """The Applications Argo CD runs per cluster: one per placement, plus the cluster's spaces-<cluster>
    Application when anything is placed there. Every cluster of `clusters` is a key (0 when idle)."""
    counts = Counter(p.cluster for p in placements)
    return {name: counts[name] + 1 if counts[name] else 0 for name in sorted(clusters)}


def shards_for(fleet, placements: Iterable) -> dict[str, int]:
    """The shard hubctl writes into each cluster registration: {} unless the hub sets
    spec.argocd.sharding with the hubctl algorithm (the others leave the choice to Argo CD)."""
    hub = fleet.hub
    if hub.shard_replicas is None or hub.shard_algorithm != "hubctl":
        return {}
    # the root Application runs on the hub's own cluster, which Argo CD always gives shard 0
    return assign_shards(applications_per_cluster(placements, fleet.clusters), hub.shard_replicas, in_cluster=1)


_MASK = (1 << 64) - 1


def _scores(cluster: str, shards: Iterable[int]) -> dict[int, int]:
    """The rendezvous score of `cluster` for each shard: one blake2b of the name, then SplitMix64's
    finalizer per shard (a cheap, well-mixed 64-bit function: rendering 4,000 clusters on 256 shards
    scores a million pairs)."""
    seed = int.from_bytes(hashlib.blake2b(cluster.encode(), digest_size=8).digest(), "big")
    out = {}
    for shard in shards:
        z = (seed + (shard + 1) * 0x9E3779B97F4A7C15) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        out[shard] = z ^ (z >> 31)
    return out


def assign_shards(weights: Mapping[str, int], replicas: int, in_cluster: int = 0) -> dict[str, int]:
    """hubctl's assignment: the shard (0 .. replicas-1) of every cluster, by name.

    Rendezvous hashing with bounded loads, as a stable matching: each cluster ranks the shards by a hash of
    (cluster, shard) and asks for them in that order; a shard holds at most BALANCE times the mean load and,
    when over it, turns away the clusters it ranks lowest, which ask their next shard. A cluster heavier than
    the mean gets a shard of its own first (its best-ranked one). When some cluster is turned away by every
    shard (a few heavy clusters per shard), the matching is run again with GOAL as the capacity; if that too
    turns some away, they go to the least loaded shard and _repair lowers the fullest. Deterministic and
    independent of dict order; adding a cluster moves only the few a chain of turn-aways reaches.

    `in_cluster` is the load shard 0 already carries (Argo CD manages the hub's own cluster there).
    """
    if replicas <= 1:
        return {name: 0 for name in sorted(weights)}
    base = {shard: 0 for shard in range(replicas)}
    base[0] = in_cluster
    scores = {name: _scores(name, range(replicas)) for name in weights}
    shards, rest = _dedicate_giants(weights, base, scores)
    free = {shard: load for shard, load in base.items() if shard not in shards.values()}
    mean = (sum(rest.values()) + sum(free.values())) / len(free)
    ranked: dict[str, list[int]] = {}  # shared by both matchings: the same shards, the same rankings
    for factor in (BALANCE, GOAL):
        matched, load, turned_away = _match(rest, free, factor * mean, scores, ranked)
        if not turned_away:
            return dict(sorted({**shards, **matched}.items()))
    for name in sorted(turned_away, key=lambda n: (-rest[n], n)):
        shard = min(load, key=lambda s: (load[s], s))
        matched[name] = shard
        load[shard] += rest[name]
    _repair(matched, rest, load, GOAL * mean)
    return dict(sorted({**shards, **matched}.items()))


def _dedicate_giants(weights: Mapping[str, int], base: dict[int, int],
                     scores: Mapping[str, Mapping[int, int]]) -> tuple[dict[str, int], dict[str, int]]:
    """Clusters heavier than the mean of what is left, each alone on its best-ranked free shard (sharing it
    would only make that shard fuller): ({giant: shard}, the other clusters' weights)."""
    giants: dict[str, int] = {}
    rest = dict(weights)
    free = dict(base)
    while len(free) > 1 and rest:
        heavy = min(rest, key=lambda n: (-rest[n], n))
        if rest[heavy] <= (sum(rest.values()) + sum(free.values())) / len(free):
            break
        shard = max(free, key=lambda s: (scores[heavy][s], -s))
        giants[heavy] = shard
        del free[shard], rest[heavy]
    return giants, rest


def _match(weights: Mapping[str, int], base: Mapping[int, int], capacity: float,
           scores: Mapping[str, Mapping[int, int]], ranked: dict[str, list[int]]):
    """The stable matching of `weights` to the shards of `base` (their loads so far) under `capacity`:
    (shards, loads, the clusters every shard turned away). `ranked` caches each cluster's shards, best
    first: only the first choice until the cluster is first turned away (most never are)."""
    load = dict(base)
    members: dict[int, list[tuple[int, str]]] = {shard: [] for shard in base}  # min-heaps of (score, cluster)

    def choice(name: str, k: int) -> int:
        known = ranked.get(name)
        if known is None or (k > 0 and len(known) == 1):
            mine = scores[name]
            # max() keeps the first of equal scores, the lowest shard, as the sort does
            known = ranked[name] = [max(base, key=mine.__getitem__)] if k == 0 else sorted(
                base, key=lambda s: (-mine[s], s))
        return known[k]

    tried = dict.fromkeys(weights, 0)
    waiting = deque(sorted(weights, key=lambda n: (-weights[n], n)))
    turned_away: list[str] = []
    while waiting:
        name = waiting.popleft()
        shard = choice(name, tried[name])
        heapq.heappush(members[shard], (scores[name][shard], name))
        load[shard] += weights[name]
        while load[shard] > capacity and members[shard]:
            _, out = heapq.heappop(members[shard])
            load[shard] -= weights[out]
            tried[out] += 1
            (waiting if tried[out] < len(base) else turned_away).append(out)
    shards = {name: shard for shard, held in members.items() for _, name in held}
    return shards, load, turned_away


def _repair(shards: dict[str, int], weights: Mapping[str, int], load: dict[int, int], bound: float) -> None:
    """Lower the fullest shard while it is over `bound`: the move of one of its clusters to another shard,
    or the swap with a lighter cluster there, that leaves the lowest peak. Only after turn-aways, which
    happen when a few heavy clusters share each shard; each step strictly lowers the fullest shard."""
    for _ in range(len(shards)):
        full = max(load, key=lambda s: (load[s], -s))
        if load[full] <= bound:
            return
        one_per_weight: dict[tuple[int, int], str] = {}  # (shard, weight) -> a cluster, the first by name
        for name in sorted(shards):
            one_per_weight.setdefault((shards[name], weights[name]), name)
        best = None
        for (here, wx), x in one_per_weight.items():
            if here != full:
                continue
            for (there, wy), y in [((t, 0), None) for t in load if t != full] + [
                    (key, name) for key, name in one_per_weight.items() if key[0] != full and key[1] < wx]:
                peak = max(load[full] - wx + wy, load[there] + wx - wy)
                if best is None or (peak, x, there, y or "") < best[:4]:
                    best = (peak, x, there, y or "", y)
        if best is None or best[0] >= load[full]:
            return
        _, x, there, _, y = best
        for name, to in ((x, there), (y, full)):
            if name is not None:
                load[shards[name]] -= weights[name]
                shards[name] = to
                load[to] += weights[name]


def shard_loads(shards: Mapping[str, int], weights: Mapping[str, int], replicas: int,
                in_cluster: int = 0) -> list[int]:
    """The Applications per shard of an assignment."""
    load = [0] * replicas
    load[0] = in_cluster
    for name, shard in shards.items():
        load[shard] += weights[name]
    return load


# --- Argo CD's algorithms, simulated (the cluster id is the cluster Secret's UID on a real hub) ----------

def fnv32a(data: bytes) -> int:
    """FNV-1a, 32 bits (Go's hash/fnv New32a)."""
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def legacy_shards(ids: Mapping[str, str], replicas: int) -> dict[str, int]:
    """Argo CD `legacy`: FNV-32a of the cluster id modulo replicas (an empty id goes to shard 0).
    `ids` maps cluster name -> id."""
    return {name: fnv32a(cid.encode()) % replicas if cid else 0 for name, cid in sorted(ids.items())}


def round_robin_shards(ids: Mapping[str, str], replicas: int) -> dict[str, int]:
    """Argo CD `round-robin`: the rank of the cluster id among all ids, sorted, modulo replicas."""
    order = sorted(ids, key=lambda name: ids[name])
    return dict(sorted((name, rank % replicas) for rank, name in enumerate(order)))


def _blake_ring_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode()).digest()[:8], "little")


class ConsistentRing:
    """Argo CD's consistent.Consistent: 1,000 points per shard on a blake2b ring, GetLeast with the bound
    ceil(1.25 * ((total + 1) // shards))."""

    def __init__(self, replicas: int, points: int = 1000):
        import bisect

        self._bisect = bisect.bisect_right
        ring = {_blake_ring_hash(f"{shard}{i}"): str(shard) for shard in range(replicas) for i in range(points)}
        self.keys = sorted(ring)
        self.owner = ring
        self.load = {str(shard): 0 for shard in range(replicas)}
        self.total = 0

    def _load_ok(self, host: str) -> bool:
        import math

        average = (self.total + 1) // len(self.load) or 1
        return self.load[host] + 1 <= math.ceil(average * 1.25)

    def get_least(self, client: str) -> str:
        h = _blake_ring_hash(client)
        while True:
            i = self._bisect(self.keys, h)  # the first point strictly after h, wrapping around
            point = self.keys[i] if i < len(self.keys) else self.keys[0]
            host = self.owner[point]
            if self._load_ok(host):
                return host
            h = point

    def update_load(self, host: str, load: int) -> None:
        self.total += load - self.load[host]
        self.load[host] = load


def consistent_hashing_shards(ids: Mapping[str, str], weights: Mapping[str, int], replicas: int) -> dict[str, int]:
    """Argo CD `consistent-hashing`: clusters in id order, each to the ring's least-loaded acceptable
    shard, the shard's load growing by the cluster's Applications."""
    ring = ConsistentRing(replicas)
    applications = {str(shard): 0 for shard in range(replicas)}
    shards = {}
    for name in sorted(ids, key=lambda n: ids[n]):
        host = ring.get_least(ids[name])
        shards[name] = int(host)
        applications[host] += weights.get(name, 0)
        ring.update_load(host, applications[host])
    return dict(sorted(shards.items()))
