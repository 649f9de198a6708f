"""Fallback on failover (Karmada's ordered cluster affinities): a flow whose primary selection no longer
qualifies (its clusters cordoned, drained or tainted NoExecute) moves to the first fallback group that does,
and comes back when the primary qualifies again."""

from __future__ import annotations

import random

from support.placement import changed, cluster, fleet, flow, placed

from hubctl.usecases.render import placement as placing
from hubctl.usecases.render import verdicts

EU, US = {"region": "eu-west"}, {"region": "us-east"}
ASIA = {"region": "ap-south"}


def _fleet(*, drained=(), tainted=(), cordoned=(), pick=None):
    clusters = []
    for name, region in (("eu-1", "eu-west"), ("eu-2", "eu-west"), ("us-1", "us-east"), ("us-2", "us-east"),
                         ("ap-1", "ap-south")):
        clusters.append(cluster(name, region=region,
                                keep=[] if name in drained else (["other"] if name in cordoned else None),
                                taints=[("outage", "", "NoExecute")] if name in tainted else ()))
    return fleet(clusters, [flow("api", selector=EU, pick=pick, fallback=[US, ASIA])])


def test_a_flow_whose_primary_clusters_are_all_drained_moves_to_the_first_fallback_group():
    assert placed(_fleet(), "api") == {"eu-1", "eu-2"}
    assert placed(_fleet(drained=("eu-1", "eu-2")), "api") == {"us-1", "us-2"}
    assert placed(_fleet(tainted=("eu-1", "eu-2")), "api") == {"us-1", "us-2"}
    assert placed(_fleet(cordoned=("eu-1", "eu-2")), "api") == {"us-1", "us-2"}


def test_the_next_group_is_taken_when_the_first_does_not_qualify_either():
    assert placed(_fleet(drained=("eu-1", "eu-2", "us-1", "us-2")), "api") == {"ap-1"}


def test_a_pick_flow_falls_back_when_the_primary_yields_fewer_than_it_wants():
    assert placed(_fleet(pick=2), "api") == {"eu-1", "eu-2"}
    assert placed(_fleet(pick=2, drained=("eu-1",)), "api") == {"us-1", "us-2"}


def test_an_all_clusters_flow_stays_on_what_is_left_of_its_primary():
    assert placed(_fleet(drained=("eu-1",)), "api") == {"eu-2"}


def test_with_no_group_qualifying_the_flow_keeps_what_is_left_of_the_primary():
    f = _fleet(pick=2, drained=("eu-1", "us-1", "ap-1"))
    assert placed(f, "api") == {"eu-2"}
    assert placing.group_in_force(f, f.flows["api"]) is None


def test_the_flow_returns_to_its_primary_when_the_primary_qualifies_again():
    down = _fleet(drained=("eu-1", "eu-2"))
    assert placed(down, "api") == {"us-1", "us-2"}
    back = changed(down, clusters=[cluster("eu-1", region="eu-west"), cluster("eu-2", region="eu-west")])
    assert placed(back, "api") == {"eu-1", "eu-2"}


def test_fallback_keeps_the_taint_and_space_rules_in_the_group():
    f = fleet([cluster("eu-1", region="eu-west", keep=[]), cluster("us-1", region="us-east", dedicated="other"),
               cluster("us-2", region="us-east", taints=[("gpu", "", "NoSchedule")]),
               cluster("us-3", region="us-east")],
              [flow("api", selector=EU, fallback=[US])], spaces=("team", "other"))
    assert placed(f, "api") == {"us-3"}


def test_explain_names_the_fallback_rule_with_the_group_and_why_the_primary_did_not_qualify():
    f = _fleet(drained=("eu-1", "eu-2"))
    api = f.flows["api"]
    rules = [r for r in verdicts.rules(f, api, f.clusters["us-1"], True) if r["rule"] == "fallback"]
    assert rules == [{"rule": "fallback", "held": True, "text":
                      "fallback group 1 (region=us-east) is in force: the primary selection (region=eu-west) "
                      "qualifies 0 of the 1 cluster(s) it needs (eu-1: drained; eu-2: drained)"}]
    primary = [r for r in verdicts.rules(f, api, f.clusters["eu-1"], False) if r["rule"] == "fallback"]
    assert primary and primary[0]["held"] is False
    assert placing.excluded_by(f, api, f.clusters["us-1"]) == []


def test_fallback_is_a_pure_function_of_the_specs_whatever_the_order_of_the_clusters():
    rng = random.Random(18)
    for _ in range(30):
        names = [f"c{i}" for i in range(8)]
        regions = {n: rng.choice(["eu-west", "us-east", "ap-south"]) for n in names}
        drained = {n for n in names if rng.random() < 0.4}
        build = [cluster(n, region=regions[n], keep=[] if n in drained else None) for n in names]
        flows = [flow("api", selector=EU, pick=rng.choice([None, 1, 2]), fallback=[US, ASIA])]
        one = fleet(build, flows)
        rng.shuffle(build)
        other = fleet(build, flows)
        got = placed(one, "api")
        assert got == placed(other, "api")
        assert not got & drained
        group = placing.group_in_force(one, one.flows["api"])
        if group is not None:
            want = {0: "us-east", 1: "ap-south"}[group]
            assert {regions[n] for n in got} == {want}


def test_the_group_in_force_is_the_first_that_qualifies_and_only_when_the_primary_does_not():
    rng = random.Random(1802)
    groups = [US, ASIA, {"region": "eu-west", "tier": "gold"}]
    for _ in range(60):
        build = [cluster(f"c{i}", {"tier": rng.choice(["gold", "std"])},
                         region=rng.choice(["eu-west", "us-east", "ap-south"]),
                         keep=[] if rng.random() < 0.3 else None,
                         taints=[("outage", "", "NoExecute")] if rng.random() < 0.2 else ())
                 for i in range(rng.randint(1, 9))]
        f = fleet(build, [flow("api", selector=EU, pick=rng.choice([None, 1, 2, 3]), fallback=groups)])
        api = f.flows["api"]
        qualifies = [placing.enough(api, len(placing.qualifying(f, api, s.selector)))
                     for s in api.placement.fallback]
        primary = placing.enough(api, len(placing.qualifying(f, api, api.placement.selector)))
        group = placing.group_in_force(f, api)
        if primary or not any(qualifies):
            assert group is None
        else:
            assert group == qualifies.index(True)
            assert placed(f, "api") <= {c.name for c in placing.qualifying(f, api, groups_selector(api, group))}


def groups_selector(api, group):
    return api.placement.fallback[group].selector
