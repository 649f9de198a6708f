"""Hostile, seeded inputs to the solver: every rule at once, odd sizes (empty pools, pick beyond the pool,
capacity 0 everywhere, unlabelled clusters). Whatever comes in, the invariants hold and nothing raises."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from support.placement import cluster, fleet, flow, placed

from hubctl.cli.placement_view import explain_placement
from hubctl.usecases.render import placement as placing
from hubctl.usecases.render.capacity import limited


def _hostile(seed: int):
    rng = random.Random(seed)
    clusters = []
    for i in range(rng.randint(0, 16)):
        labels = {k: rng.choice("ab") for k in ("zone", "rack") if rng.random() < .8}
        taints = [(rng.choice(["gpu", "spot"]), rng.choice(["", "x"]), rng.choice(["NoSchedule", "NoExecute"]))
                  for _ in range(rng.randint(0, 2))]
        clusters.append(cluster(f"c{i}", labels, taints=taints, capacity=rng.choice([None, None, 0, 1, 3]),
                                keep=rng.choice([None, None, [], ["f0"]])))
    flows = []
    for i in range(rng.randint(1, 10)):
        topology = [(rng.choice(["zone", "rack", "missing"]), rng.randint(1, 3),
                     rng.choice(["DoNotSchedule", "ScheduleAnyway"])) for _ in range(rng.randint(0, 2))]
        flows.append(flow(f"f{i}", pick=rng.choice([1, 2, 5, 40]), priority=rng.randint(-1000, 1000),
                          preferred=[(rng.randint(-100, 100), {"zone": "a"}) for _ in range(rng.randint(0, 3))],
                          tolerations=[{"key": rng.choice(["gpu", "spot", ""]), "operator": "Exists"}]
                          if rng.random() < .5 else (), topology=topology))
    return fleet(clusters, flows)


@pytest.mark.parametrize("seed", range(60))
def test_invariants_hold_on_hostile_fleets(seed):
    f = _hostile(seed)
    load = Counter()
    for name, x in f.flows.items():
        got = placed(f, name)
        pool = {c.name for c in placing.candidates(f, x)}
        assert got <= pool  # only qualifying clusters (taints, cordons, selectors)
        assert len(got) <= x.placement.wanted
        load.update(got)
        chosen = [f.clusters[n] for n in got]
        for k in x.placement.topology:
            if k.when_unsatisfiable == "DoNotSchedule":
                assert all(k.topology_key in c.labels for c in chosen)
                counts = Counter(c.labels[k.topology_key] for c in chosen)
                domains = {c.labels[k.topology_key] for c in placing.candidates(f, x) if k.topology_key in c.labels}
                if not limited(f):  # the domains of the pool the flow picked from
                    assert max(counts.values(), default=0) - min((counts[d] for d in domains), default=0) \
                        <= k.max_skew
    for c in f.clusters.values():
        if c.capacity_flows is not None:
            assert load[c.name] <= c.capacity_flows


@pytest.mark.parametrize("seed", range(0, 60, 3))
def test_explain_answers_for_every_pair_and_agrees_with_the_placement(seed):
    f = _hostile(seed)
    for name in f.flows:
        got = placed(f, name)
        for c in f.clusters:
            answer = explain_placement(f, name, c)
            assert answer["placed"] is (c in got)
            assert answer["placed"] or answer["reasons"]  # a refusal always says why
            assert all(r["held"] for r in answer["rules"] if r["rule"] in ("toleration", "affinity"))


@pytest.mark.parametrize("seed", range(5))
def test_threads_sharing_one_fleet_get_the_same_placement(seed):
    """A library caller may compute placement from several threads: the per-fleet cache is shared."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    f = _hostile(seed + 100)
    expected = placing.compute_placements(replace(f, cache={}))
    fresh = replace(f, cache={})
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: placing.compute_placements(fresh), range(16)))
    assert all(r == expected for r in results)
