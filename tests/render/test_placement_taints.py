"""Taints and tolerations (Kubefleet semantics); cordon and dedicatedTo are taints too."""

from __future__ import annotations

import pytest
from support.placement import cluster, fleet, flow, placed

from hubctl.spec.model import Taint, Toleration
from hubctl.usecases.render.placement import excluded_by
from hubctl.usecases.render.taints import effective_taints, tolerates

GPU = ("gpu", "true", "NoSchedule")


def test_an_untolerated_taint_keeps_a_flow_off_and_a_toleration_lets_it_on():
    f = fleet([cluster("a"), cluster("b", taints=[GPU])],
              [flow("plain"), flow("ml", tolerations=[{"key": "gpu", "operator": "Equal", "value": "true"}])])
    assert placed(f, "plain") == {"a"}
    assert placed(f, "ml") == {"a", "b"}
    reasons = excluded_by(f, f.flows["plain"], f.clusters["b"])
    assert reasons == [("taint", "taint `gpu=true:NoSchedule` is not tolerated (to place it there, add "
                                 '{key: gpu, operator: Equal, value: "true", effect: NoSchedule} to '
                                 "spec.placement.tolerations)")]


@pytest.mark.parametrize(("toleration", "taint", "expected"), [
    (Toleration("gpu", "Equal", "true"), Taint("gpu", "true", "NoSchedule"), True),
    (Toleration("gpu", "Equal", "false"), Taint("gpu", "true", "NoSchedule"), False),
    (Toleration("gpu", "Exists"), Taint("gpu", "true", "NoExecute"), True),
    (Toleration("gpu", "Exists", effect="NoSchedule"), Taint("gpu", "true", "NoExecute"), False),
    (Toleration("gpu", "Exists", effect="NoExecute"), Taint("gpu", "", "NoExecute"), True),
    (Toleration("", "Exists"), Taint("anything", "x", "NoExecute"), True),  # empty key + Exists: every taint
    (Toleration("", "Equal"), Taint("anything", "", "NoSchedule"), False),  # empty key needs Exists
    (Toleration("other", "Exists"), Taint("gpu", "", "NoSchedule"), False),
    (Toleration("", "Exists"), Taint("hubctl.io/dedicated", "x", "NoSchedule"), False),  # never hubctl's own
    (Toleration("hubctl.io/cordoned", "Exists"), Taint("hubctl.io/cordoned", "", "NoSchedule"), False),
])
def test_toleration_matching_follows_kubernetes(toleration, taint, expected):
    assert tolerates(toleration, taint) is expected


def test_both_effects_refuse_an_untolerated_flow_and_a_toleration_of_one_effect_does_not_cover_the_other():
    f = fleet([cluster("a", taints=[("spot", "", "NoExecute")]), cluster("b", taints=[("spot", "", "NoSchedule")])],
              [flow("x", tolerations=[{"key": "spot", "operator": "Exists", "effect": "NoSchedule"}])])
    assert placed(f, "x") == {"b"}
    assert [code for code, _ in excluded_by(f, f.flows["x"], f.clusters["a"])] == ["taint"]


def test_a_dedicated_cluster_is_a_taint_only_its_space_tolerates_even_against_a_tolerate_everything_flow():
    c = cluster("pci", dedicated="payments")
    assert effective_taints(c) == (Taint("hubctl.io/dedicated", "payments", "NoSchedule"),)
    f = fleet([c, cluster("shared")],
              [flow("pay", space="payments"), flow("web", tolerations=[{"operator": "Exists"}])],
              spaces=("payments", "team"))
    assert placed(f, "pay") == {"pci", "shared"}
    assert placed(f, "web") == {"shared"}
    assert [code for code, _ in excluded_by(f, f.flows["web"], c)] == ["dedicated"]


def test_a_cordon_is_a_noschedule_taint_the_kept_flows_tolerate_and_a_drain_a_noexecute_one():
    cordoned, drained = cluster("c1", keep=["stay"]), cluster("c2", keep=[])
    assert effective_taints(cordoned) == (Taint("hubctl.io/cordoned", "", "NoSchedule"),)
    assert effective_taints(drained) == (Taint("hubctl.io/cordoned", "", "NoExecute"),)
    f = fleet([cordoned, drained, cluster("open")],
              [flow("stay"), flow("new", tolerations=[{"operator": "Exists"}])])
    assert placed(f, "stay") == {"c1", "open"}
    assert placed(f, "new") == {"open"}
    assert [code for code, _ in excluded_by(f, f.flows["new"], cordoned)] == ["cordon"]


def test_a_pick_flow_displaced_by_a_taint_moves_only_the_placement_on_that_cluster():
    clusters = [cluster(f"c{i}") for i in range(8)]
    f = fleet(clusters, [flow("x", pick=3)])
    before = placed(f, "x")
    victim = sorted(before)[0]
    tainted = fleet([cluster(c.name, taints=[GPU] if c.name == victim else ()) for c in clusters],
                    [flow("x", pick=3)])
    after = placed(tainted, "x")
    assert victim not in after and len(after) == 3
    assert len(before - after) == 1


def test_the_placement_delta_names_a_new_taint_as_the_cause():
    from hubctl.usecases.render.placement import compute_placements
    from hubctl.usecases.review.placements import placement_delta

    before = fleet([cluster("a"), cluster("b")], [flow("web")])
    after = fleet([cluster("a"), cluster("b", taints=[GPU])], [flow("web")])
    (delta,) = placement_delta(before, after, compute_placements(before), compute_placements(after))
    assert [(c.cluster, c.reason, c.causes) for c in delta.removed] == \
           [("b", "cluster tainted (the flow does not tolerate it)", ("taint",))]
