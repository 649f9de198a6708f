"""Validation of the placement rules, as a user sees it: `hubctl validate` names file:line, key path, what is
wrong and the fix, every unsatisfiable placement in one run; `placement --explain` names each rule."""

from __future__ import annotations

import json
from pathlib import Path

from hubctl.base.errors import ExitCode

CLUSTER = """\
apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata:
  name: {name}
  labels:
    zone: {zone}
spec:
  server: https://{name}.example.com
  provider: eks
  environment: prod
  region: us-east
  credentials:
    awsRole:
      roleARN: arn:aws:iam::123456789012:role/argocd
"""

FLOW = """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: {name}
spec:
  space: team-a
  blueprint: http-service
  params:
    image: ghcr.io/example/api:1.0.0
  placement:
    selector:
      matchLabels:
        env: prod
"""


def _add_cluster(root: Path, name: str, zone: str, extra: str = "") -> None:
    (root / "clusters" / f"{name}.yaml").write_text(CLUSTER.format(name=name, zone=zone) + extra)


def _add_flow(root: Path, name: str, extra: str = "") -> None:
    (root / "flows" / f"{name}.yaml").write_text(FLOW.format(name=name) + extra)


def _zones(root: Path) -> None:
    for name, zone in (("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b")):
        _add_cluster(root, name, zone)


def test_a_short_topology_domain_and_a_full_cluster_are_both_reported_in_one_run(hubctl, base_fleet):
    _zones(base_fleet)
    _add_flow(base_fleet, "spread", "    pick: 4\n    topologySpreadConstraints:\n    - topologyKey: zone\n"
                                    "      maxSkew: 1\n")
    _add_cluster(base_fleet, "tiny", "c", "  capacity:\n    flows: 1\n")
    _add_flow(base_fleet, "first", "    priority: 5\n")
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    out = " ".join(result.out.split() + result.err.split())
    assert ("flows/spread.yaml:16:7: spec.placement.topologySpreadConstraints[0]: topology spread over `zone` "
            "(maxSkew 1) places only 3 of the 4 clusters asked for: domain zone=b has no qualifying cluster left"
            ) in out
    assert ("hint: add clusters with zone=b, raise maxSkew, lower the count to 3, or set "
            "`whenUnsatisfiable: ScheduleAnyway`") in out
    assert ("flows/spread.yaml:10:3: spec.placement: flow `spread` fits on only 3 of the 4 clusters it asks for: "
            "full: tiny (clusters/tiny.yaml:2: capacity 1, taken by first)") in out
    assert "hint: raise spec.capacity.flows on those clusters, give this flow a higher placement.priority" in out


def test_scheduleanyway_validates_and_places_the_count(hubctl, base_fleet):
    _zones(base_fleet)
    _add_flow(base_fleet, "spread", "    pick: 4\n    topologySpreadConstraints:\n    - topologyKey: zone\n"
                                    "      whenUnsatisfiable: ScheduleAnyway\n")
    assert hubctl("validate", "-C", base_fleet).code == 0
    doc = json.loads(hubctl("placement", "-o", "json", "-C", base_fleet).out)
    spread = {p["cluster"] for p in doc["placements"] if p["flow"] == "spread"}
    assert len(spread) == 4 and {"b1", "prod-1"} <= spread  # prod-1 has no zone: after the clusters that keep it
    explained = hubctl("placement", "--explain", "spread", "prod-1", "-C", base_fleet).out
    assert "skew: topology zone: the cluster has no `zone` label (ScheduleAnyway" in explained


def test_shape_problems_pick_with_spread_topology_without_count_bad_toleration_reserved_taint(hubctl, base_fleet):
    _add_cluster(base_fleet, "gpu", "a", "  taints:\n  - {key: hubctl.io/cordoned, effect: NoSchedule}\n")
    _add_flow(base_fleet, "both", "    pick: 1\n    spread: {clusters: 1}\n")
    _add_flow(base_fleet, "nocount", "    topologySpreadConstraints:\n    - topologyKey: zone\n")
    _add_flow(base_fleet, "tol", "    tolerations:\n    - {key: gpu, operator: Exists, value: x}\n    - {value: v1}\n")
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    out = " ".join(result.out.split() + result.err.split())
    for expected in (
        "clusters/gpu.yaml:16:6: spec.taints[0].key: taint key `hubctl.io/cordoned` is reserved for hubctl's own "
        "taints",
        "flows/both.yaml:14:5: spec.placement.pick: pick and spread both say how many clusters to take",
        "flows/nocount.yaml:14:5: spec.placement.topologySpreadConstraints: topology spread constraints need a "
        "number of clusters",
        "flows/tol.yaml:15:36: spec.placement.tolerations[0].value: operator Exists takes no value",
        "flows/tol.yaml:16:7: spec.placement.tolerations[1]: a toleration without a key must use operator Exists",
    ):
        assert expected in out


def test_schema_refuses_an_unknown_effect_and_a_weight_out_of_range(hubctl, base_fleet):
    _add_cluster(base_fleet, "gpu", "a", "  taints:\n  - {key: gpu, effect: PreferNoSchedule}\n")
    _add_flow(base_fleet, "w", "    preferred:\n    - weight: 101\n      selector: {matchLabels: {zone: a}}\n")
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    out = result.out + result.err
    assert "clusters/gpu.yaml:16:16" in out and "spec.taints[0].effect" in out
    assert "flows/w.yaml:15:7" in out and "spec.placement.preferred[0].weight" in out


def test_pick_more_than_match_names_pick(hubctl, base_fleet):
    _add_flow(base_fleet, "many", "    pick: 3\n")
    out = " ".join((lambda r: r.out.split() + r.err.split())(hubctl("validate", "-C", base_fleet)))
    assert "flows/many.yaml:14:5: spec.placement.pick: pick asks for 3 clusters but only 1 match" in out


def test_explain_names_each_rule(hubctl, base_fleet):
    _zones(base_fleet)
    _add_cluster(base_fleet, "gpu", "b", "  taints:\n  - {key: gpu, value: \"true\", effect: NoSchedule}\n"
                                         "  capacity:\n    flows: 1\n")
    _add_flow(base_fleet, "web", "    pick: 2\n    preferred:\n    - weight: 40\n      selector: {matchLabels: "
                                 "{zone: b}}\n    topologySpreadConstraints:\n    - {topologyKey: zone, maxSkew: 1}\n")
    _add_flow(base_fleet, "ml", "    tolerations:\n    - {key: gpu, operator: Exists}\n")
    assert hubctl("validate", "-C", base_fleet).code == 0
    refused = hubctl("placement", "--explain", "web", "gpu", "-C", base_fleet)
    assert refused.code == 0
    assert "web is NOT placed on gpu" in refused.out
    assert '✗ taint: taint gpu=true:NoSchedule not tolerated (add {key: gpu, operator: Equal, value: "true", ' \
           'effect: NoSchedule} to spec.placement.tolerations)' in refused.out
    admitted = hubctl("placement", "--explain", "ml", "gpu", "-C", base_fleet)
    assert "ml IS placed on gpu" in admitted.out
    assert "✓ toleration: taint gpu=true:NoSchedule tolerated by toleration `gpu Exists`" in admitted.out
    assert "✓ capacity: capacity 1 flow(s): 1 placed (ml)" in admitted.out
    ranked = json.loads(hubctl("placement", "--explain", "web", "b1", "-o", "json", "-C", base_fleet).out)
    rules = {r["rule"]: r for r in ranked["rules"]}
    assert ranked["placed"] is True
    assert rules["affinity"]["text"] == "affinity score 40: +40 zone=b"
    assert rules["rank"]["text"] == "ranked 1 of 4 qualifying clusters (affinity score, then rendezvous hash); " \
                                    "the flow takes 2"
    assert rules["skew"]["held"] is True
    assert rules["skew"]["text"].startswith("topology zone=b: skew 0 with this cluster (maxSkew 1")
