"""Capacity: a cluster takes at most spec.capacity.flows flows; priority, then name, decides who fits."""

from __future__ import annotations

import random
from collections import Counter

from support.placement import cluster, fleet, flow, placed

from hubctl.usecases.render.capacity import allocation
from hubctl.usecases.render.placement import candidates


def test_a_full_cluster_takes_no_more_flows_in_priority_then_name_order():
    f = fleet([cluster("small", capacity=2), cluster("big")],
              [flow("a"), flow("b"), flow("c"), flow("urgent", priority=10)])
    assert {n for n, c in placed(f) if c == "small"} == {"urgent", "a"}
    result = allocation(f, candidates)
    assert result.taken == {"small": ["urgent", "a"]}
    assert result.full == {"urgent": [], "a": [], "b": ["small"], "c": ["small"]}
    assert placed(f, "b") == {"big"}


def test_a_pick_flow_takes_the_next_best_cluster_when_its_favourite_is_full():
    clusters = [cluster(f"c{i}") for i in range(6)]
    free = fleet(clusters, [flow("x", pick=2)])
    favourite = sorted(placed(free, "x"))[0]
    full = [cluster(c.name, capacity=0 if c.name == favourite else None) for c in clusters]
    f = fleet(full, [flow("x", pick=2)])
    assert len(placed(f, "x")) == 2 and favourite not in placed(f, "x")
    assert len(placed(free, "x") - placed(f, "x")) == 1


def test_capacity_zero_and_no_capacity():
    f = fleet([cluster("closed", capacity=0), cluster("open")], [flow("a")])
    assert placed(f, "a") == {"open"}


def test_no_seeded_fleet_ever_exceeds_a_capacity():
    for seed in range(30):
        rng = random.Random(seed)
        clusters = [cluster(f"c{i}", {"tier": rng.choice("xyz")}, capacity=rng.choice([None, 0, 1, 2, 3]))
                    for i in range(rng.randint(2, 12))]
        flows = [flow(f"f{i}", selector=rng.choice([{}, {"tier": "x"}, {"tier": "y"}]),
                      pick=rng.choice([None, 1, 2]), priority=rng.randint(-2, 2)) for i in range(rng.randint(1, 15))]
        f = fleet(clusters, flows)
        load = Counter(c for _, c in placed(f))
        for c in clusters:
            if c.capacity_flows is not None:
                assert load[c.name] <= c.capacity_flows, (seed, c.name)
        again = fleet(list(reversed(clusters)), list(reversed(flows)))  # input order never matters
        assert placed(again) == placed(f), seed
