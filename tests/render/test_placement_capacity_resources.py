"""Capacity in resources: a cluster declares how much of a resource it takes (`spec.capacity: {cpu: 64, memory:
256Gi}`), flows their requests (`spec.placement.requests`); placement never exceeds it and says which flows did
not fit and why. Flows take capacity in the same order as flow counts (priority, then name)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from fractions import Fraction
from types import MappingProxyType

from support.placement import cluster, fleet, flow, placed

from hubctl.base.errors import ExitCode
from hubctl.usecases.render.capacity import allocation, quantity
from hubctl.usecases.render.placement import candidates


def sized(c, **capacity):
    return replace(c, capacity_resources=MappingProxyType({k: str(v) for k, v in capacity.items()}))


def asking(f, **requests):
    return replace(f, placement=replace(f.placement, requests=MappingProxyType({k: str(v) for k, v in
                                                                                requests.items()})))


def test_quantities_read_as_kubernetes_reads_them():
    assert quantity("64") == 64 and quantity(64) == 64 and quantity("500m") == Fraction(1, 2)
    assert quantity("256Gi") == 256 * 2**30 and quantity("1G") == 10**9 and quantity("1.5") == Fraction(3, 2)


def test_a_cluster_never_takes_more_cpu_than_it_declares_and_says_who_took_it():
    f = fleet([sized(cluster("small", {"tier": "x"}), cpu=8)],
              [asking(flow("a"), cpu=4), asking(flow("b"), cpu="3500m"), asking(flow("c"), cpu=1)])
    assert placed(f) == {("a", "small"), ("b", "small")}
    result = allocation(f, candidates)
    assert result.full["c"] == ["small"]
    assert result.why["c"]["small"] == "cpu: needs 1, 500m of 8 left (taken by a 4, b 3500m)"


def test_memory_in_binary_units_and_a_pick_flow_moves_to_the_next_cluster_with_room():
    clusters = [sized(cluster(f"c{i}"), memory="256Gi") for i in range(4)]
    free = fleet(clusters, [asking(flow("x", pick=2), memory="100Gi")])
    favourite = sorted(placed(free, "x"))[0]
    tight = [sized(c, memory="64Gi") if c.name == favourite else c for c in clusters]
    f = fleet(tight, [asking(flow("x", pick=2), memory="100Gi")])
    assert len(placed(f, "x")) == 2 and favourite not in placed(f, "x")
    assert allocation(f, candidates).why["x"][favourite] == "memory: needs 100Gi, 64Gi of 64Gi left"


def test_a_resource_a_cluster_does_not_declare_is_not_limited_there_and_flow_counts_still_hold():
    f = fleet([sized(cluster("gpu"), **{"nvidia.com/gpu": 2}), cluster("plain", capacity=1)],
              [asking(flow("train"), **{"nvidia.com/gpu": 2}), asking(flow("infer"), **{"nvidia.com/gpu": 1})])
    assert placed(f) == {("infer", "gpu"), ("infer", "plain")}
    result = allocation(f, candidates)
    assert result.taken["plain"] == ["infer"]  # infer places first (name order): plain's one flow slot is taken
    assert result.why["train"] == {"gpu": "nvidia.com/gpu: needs 2, 1 of 2 left (taken by infer 1)",
                                   "plain": "capacity 1, taken by infer"}


def test_no_seeded_fleet_ever_exceeds_a_resource_capacity_and_input_order_never_matters():
    for seed in range(30):
        rng = random.Random(seed)
        clusters = [sized(cluster(f"c{i}", {"tier": rng.choice("xy")}, capacity=rng.choice([None, 1, 3])),
                          **{k: v for k, v in (("cpu", rng.choice([None, 2, 8, "7500m"])),
                                               ("memory", rng.choice([None, "16Gi", "64Gi"]))) if v is not None})
                    for i in range(rng.randint(2, 10))]
        flows = [asking(flow(f"f{i}", selector=rng.choice([{}, {"tier": "x"}]), pick=rng.choice([None, 1, 2]),
                             priority=rng.randint(-1, 1)),
                        **{k: v for k, v in (("cpu", rng.choice([None, 1, "500m", 3])),
                                             ("memory", rng.choice([None, "4Gi", "20Gi"]))) if v is not None})
                 for i in range(rng.randint(1, 12))]
        f = fleet(clusters, flows)
        used: dict = defaultdict(Fraction)
        for name, where in placed(f):
            for key, value in f.flows[name].placement.requests.items():
                used[(where, key)] += quantity(value)
        for c in clusters:
            for key, value in c.capacity_resources.items():
                assert used[(c.name, key)] <= quantity(value), (seed, c.name, key)
        assert placed(fleet(list(reversed(clusters)), list(reversed(flows)))) == placed(f), seed


CLUSTER = """\
apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata:
  name: {name}
spec:
  server: https://{name}.example.com
  provider: eks
  environment: prod
  region: us-east
  capacity:
    cpu: 8
    memory: {memory}
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
    requests:
      cpu: {cpu}
"""


def test_validate_says_which_flow_did_not_fit_and_why_and_explain_names_the_resource(hubctl, base_fleet):
    (base_fleet / "clusters" / "prod-1.yaml").unlink()
    (base_fleet / "clusters" / "big.yaml").write_text(CLUSTER.format(name="big", memory="64Gi"))
    (base_fleet / "flows" / "first.yaml").write_text(FLOW.format(name="first", cpu=6))
    (base_fleet / "flows" / "second.yaml").write_text(FLOW.format(name="second", cpu="3"))
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    out = " ".join((result.out + result.err).split())
    assert ("flows/second.yaml:10:3: spec.placement: flow `second` did not fit on 1 of its clusters: full: big "
            "(clusters/big.yaml:2: cpu: needs 3, 2 of 8 left (taken by first 6))") in out
    assert "raise spec.capacity.cpu on those clusters" in out
    explain = hubctl("placement", "-C", base_fleet, "--explain", "first", "big")
    assert "capacity: cpu 6 of 8 used (first 6)" in explain.out, explain.out


def test_a_bad_quantity_is_a_schema_problem_with_its_line(hubctl, base_fleet):
    (base_fleet / "clusters" / "big.yaml").write_text(CLUSTER.format(name="big", memory="lots"))
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    assert ("clusters/big.yaml:12:5: spec.capacity.memory: `lots` is not a quantity\n  hint: write a number with an "
            "optional unit, as Kubernetes does: 64, 500m (milli), 256Gi, 1.5") in result.out


def test_numbers_yaml_writes_oddly_are_read_exactly_and_infinity_is_a_problem(hubctl, base_fleet):
    """Hostile: exponents, tiny fractions and `.inf` where a quantity goes never crash the render."""
    (base_fleet / "clusters" / "big.yaml").write_text(CLUSTER.format(name="big", memory="1e3").replace(
        "cpu: 8", "cpu: 1e-7"))
    result = hubctl("render", "-C", base_fleet)
    assert result.code == 0, result.err
    assert quantity(1e-07) == Fraction(1, 10**7) and quantity(1e3) == 1000
    (base_fleet / "clusters" / "big.yaml").write_text(CLUSTER.format(name="big", memory=".inf"))
    bad = hubctl("validate", "-C", base_fleet)
    assert bad.code == ExitCode.INVALID and "spec.capacity.memory" in bad.out and "Traceback" not in bad.err
