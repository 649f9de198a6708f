"""Topology spread constraints: maxSkew over a cluster label, DoNotSchedule or ScheduleAnyway."""

from __future__ import annotations

from collections import Counter

from support.placement import cluster, fleet, flow, placed

from hubctl.usecases.render.picking import pick

ZONES = {"a": 4, "b": 2, "c": 1}


def _clusters(unlabelled: int = 0):
    out = [cluster(f"{zone}{i}", {"zone": zone}) for zone, n in ZONES.items() for i in range(n)]
    return out + [cluster(f"nolabel{i}") for i in range(unlabelled)]


def _zones(f, name):
    return Counter(f.clusters[c].labels.get("zone", "-") for c in placed(f, name))


def test_three_picks_over_three_zones_take_one_of_each():
    f = fleet(_clusters(), [flow("x", pick=3, topology=[("zone", 1, "DoNotSchedule")])])
    assert _zones(f, "x") == {"a": 1, "b": 1, "c": 1}


def test_donotschedule_stops_at_the_skew_and_names_the_short_domain():
    f = fleet(_clusters(), [flow("x", pick=6, topology=[("zone", 1, "DoNotSchedule")])])
    result = pick(f.flows["x"], list(f.clusters.values()))
    assert Counter(c.labels["zone"] for c in result.chosen) == {"a": 2, "b": 2, "c": 1}
    assert [(k.topology_key, domains) for k, domains in result.short] == [("zone", ["c"])]


def test_a_larger_maxskew_admits_more():
    f = fleet(_clusters(), [flow("x", pick=6, topology=[("zone", 2, "DoNotSchedule")])])
    assert _zones(f, "x") == {"a": 3, "b": 2, "c": 1}
    assert pick(f.flows["x"], list(f.clusters.values())).short == []


def test_scheduleanyway_fills_the_count_with_the_least_skewed_clusters():
    f = fleet(_clusters(), [flow("x", pick=6, topology=[("zone", 1, "ScheduleAnyway")])])
    result = pick(f.flows["x"], list(f.clusters.values()))
    assert len(result.chosen) == 6 and result.short == []
    assert Counter(c.labels["zone"] for c in result.chosen) == {"a": 3, "b": 2, "c": 1}


def test_clusters_without_the_label_do_not_qualify_under_donotschedule_but_may_under_scheduleanyway():
    hard = fleet(_clusters(unlabelled=3), [flow("x", pick=7, topology=[("zone", 3, "DoNotSchedule")])])
    assert "-" not in _zones(hard, "x")
    soft = fleet(_clusters(unlabelled=3), [flow("x", pick=9, topology=[("zone", 1, "ScheduleAnyway")])])
    assert _zones(soft, "x")["-"] >= 1 and len(placed(soft, "x")) == 9


def test_within_the_skew_the_ranking_decides():
    f = fleet(_clusters(), [flow("x", pick=3, preferred=[(50, {"zone": "a"})],
                                 topology=[("zone", 1, "DoNotSchedule")])])
    assert _zones(f, "x") == {"a": 1, "b": 1, "c": 1}
    loose = fleet(_clusters(), [flow("x", pick=3, preferred=[(50, {"zone": "a"})],
                                     topology=[("zone", 3, "DoNotSchedule")])])
    assert _zones(loose, "x") == {"a": 3}
