"""Preferred affinity with weights and pick N: higher scores first, ties broken by the rendezvous hash."""

from __future__ import annotations

from support.placement import cluster, fleet, flow, placed

from hubctl.usecases.render.picking import affinity_score, hrw, ranked


def _clusters():
    return [cluster(f"gold-{i}", {"tier": "gold", "zone": "a" if i % 2 else "b"}) for i in range(3)] + \
           [cluster(f"std-{i}", {"tier": "standard", "zone": "a"}) for i in range(5)]


def test_pick_takes_the_highest_scores_first():
    f = fleet(_clusters(), [flow("x", pick=3, preferred=[(50, {"tier": "gold"})])])
    assert placed(f, "x") == {"gold-0", "gold-1", "gold-2"}


def test_weights_add_up_and_negative_weights_push_clusters_back():
    f = fleet(_clusters(), [flow("x", pick=2, preferred=[(30, {"tier": "gold"}), (20, {"zone": "b"}),
                                                           (-100, {"tier": "standard"})])])
    x = f.flows["x"]
    scores = {c.name: affinity_score(x, c) for c in f.clusters.values()}
    assert scores == {"gold-0": 50, "gold-1": 30, "gold-2": 50, "std-0": -100, "std-1": -100, "std-2": -100,
                      "std-3": -100, "std-4": -100}
    assert placed(f, "x") == {"gold-0", "gold-2"}


def test_ties_are_broken_by_the_rendezvous_hash_as_spread_does():
    f = fleet(_clusters(), [flow("x", pick=4, preferred=[(10, {"tier": "gold"})])])
    x = f.flows["x"]
    order = [c.name for c in ranked(x, list(f.clusters.values()))]
    assert order[:3] == sorted(["gold-0", "gold-1", "gold-2"], key=lambda n: hrw(x, f.clusters[n]), reverse=True)
    standard = sorted((n for n in f.clusters if n.startswith("std")), key=lambda n: hrw(x, f.clusters[n]),
                      reverse=True)
    assert order[3:] == standard
    assert placed(f, "x") == {"gold-0", "gold-1", "gold-2", standard[0]}


def test_without_preferences_pick_is_the_spread_of_the_same_count():
    clusters = _clusters()
    a = fleet(clusters, [flow("x", pick=3)])
    b = fleet(clusters, [flow("x", spread={"clusters": 3})])
    assert placed(a, "x") == placed(b, "x")


def test_preferences_do_not_change_a_pick_all_flow():
    f = fleet(_clusters(), [flow("x", preferred=[(100, {"tier": "gold"})])])
    assert placed(f, "x") == set(f.clusters)
