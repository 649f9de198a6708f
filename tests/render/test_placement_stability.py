"""Seeded property tests: placements moved when one cluster is added, removed, tainted or filled, compared with
a naive solver (mod-N: N consecutive clusters by name from a hash of the flow); and determinism.

"Moved" counts placements removed from a cluster that is still there and still open to the flow: Applications
deleted and created elsewhere, the disruption a reviewer sees. The placements on the cluster an event takes away
must move whatever the method, so they are not counted.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace

import pytest
from support.placement import changed, cluster, fleet, flow, placed, without

from hubctl.spec.model import Taint
from hubctl.usecases.render import placement as placing

SEEDS = range(25)
GPU = ("gpu", "true", "NoSchedule")


def _random_fleet(seed: int, topology: bool = False):
    rng = random.Random(seed)
    clusters = [cluster(f"c{i:02d}", {"tier": rng.choice(["gold", "standard"]), "zone": rng.choice("abc")},
                        region=rng.choice(["eu", "us"])) for i in range(rng.randint(8, 30))]
    flows = []
    for i in range(rng.randint(4, 14)):
        preferred = [(rng.randint(-100, 100), {"tier": rng.choice(["gold", "standard"])})] if rng.random() < .5 else []
        flows.append(flow(f"f{i:02d}", selector=rng.choice([{}, {"region": "eu"}, {"region": "us"}]),
                          pick=rng.choice([None, 1, 2, 3]), preferred=preferred,
                          topology=[("zone", 1, "ScheduleAnyway")] if topology and rng.random() < .5 else (),
                          tolerations=[{"key": "gpu", "operator": "Exists"}] if rng.random() < .2 else ()))
    flows = [replace(f, placement=replace(f.placement, topology=())) if f.placement.pick is None else f for f in flows]
    return fleet(clusters, flows), rng


def _naive_placed(f) -> set:
    """The naive solver on the same candidates: N consecutive clusters by name from hash(flow) % len."""
    out = set()
    for name, x in f.flows.items():
        pool = placing.candidates(f, x)
        want = x.placement.wanted
        if want is None or not pool:
            out.update((name, c.name) for c in pool)
            continue
        start = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % len(pool)
        out.update((name, pool[(start + k) % len(pool)].name) for k in range(min(want, len(pool))))
    return out


def _moved(before: set, after: set, gone: str) -> int:
    return sum(1 for pair in before - after if pair[1] != gone)


def _events(f, rng):
    """(kind, the fleet after, the cluster the event takes away or adds)."""
    victim = rng.choice(sorted(f.clusters))
    model = f.clusters[rng.choice(sorted(f.clusters))]
    new = replace(model, name="zz-new", server="https://zz-new.example.com")
    tainted = replace(f.clusters[victim], taints=(*f.clusters[victim].taints, Taint(*GPU)))
    return [("add", changed(f, clusters=[new]), "zz-new"), ("remove", without(f, victim), victim),
            ("taint", changed(f, clusters=[tainted]), victim)]


@pytest.mark.parametrize("seed", SEEDS)
def test_an_event_moves_only_what_it_forces(seed):
    f, rng = _random_fleet(seed)
    before = placed(f)
    for kind, after_fleet, name in _events(f, rng):
        after = placed(after_fleet)
        if kind == "add":  # each placement the new cluster wins displaces at most one other
            won = sum(1 for _, c in after if c == name)
            assert _moved(before, after, name) <= won, (seed, kind)
            assert all(pair in after for pair in before if f.flows[pair[0]].placement.wanted is None)
        else:
            assert _moved(before, after, name) == 0, (seed, kind)


@pytest.mark.parametrize("seed", SEEDS)
def test_filling_a_cluster_moves_exactly_the_last_flow_that_took_it(seed):
    f, rng = _random_fleet(seed)
    before = placed(f)
    load = sorted({c for _, c in before})
    name = rng.choice(load)
    on_it = sorted((x for x, c in before if c == name), key=lambda n: (-f.flows[n].placement.priority, n))
    full = changed(f, clusters=[replace(f.clusters[name], capacity_flows=len(on_it) - 1)])
    after = placed(full)
    assert sum(1 for _, c in after if c == name) == len(on_it) - 1
    assert before - after == {(on_it[-1], name)}  # the last in placement order leaves; nothing else moves


def test_hubctl_moves_far_fewer_placements_than_the_naive_solver():
    ours = naive = 0
    for seed in SEEDS:
        for topology in (False, True):
            f, rng = _random_fleet(seed, topology)
            base, naive_base = placed(f), _naive_placed(f)
            for _kind, after_fleet, name in _events(f, rng):
                ours += _moved(base, placed(after_fleet), name)
                naive += _moved(naive_base, _naive_placed(after_fleet), name)
    assert naive > 0 and ours * 3 <= naive, (ours, naive)


@pytest.mark.parametrize("seed", SEEDS)
def test_placement_is_deterministic_and_independent_of_input_order(seed):
    f, _ = _random_fleet(seed, topology=True)
    capped = changed(f, clusters=[replace(c, capacity_flows=2) for c in list(f.clusters.values())[::3]])
    for x in (f, capped):
        shuffled = list(x.clusters.values())
        random.Random(seed).shuffle(shuffled)
        flows = list(x.flows.values())
        random.Random(seed + 1).shuffle(flows)
        again = fleet(shuffled, flows)
        assert placed(again) == placed(x) == placed(replace(x, cache={}))
        assert placing.compute_placements(again) == placing.compute_placements(x)
