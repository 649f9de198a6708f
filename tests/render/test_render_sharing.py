"""A flow's manifests are rendered once per group of clusters that agree on every fact they depend on, then
stamped per cluster. Oracle: every placement's file equals the flow rendered for that cluster alone, on seeded
random fleets whose flows override by environment, region, provider and cluster name, with resilient and
other environments, and with cluster names YAML must quote."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hubctl.engines.yaml.yamlio import dump_all
from hubctl.usecases.render.fleet import header, render_fleet
from hubctl.usecases.render.flows import flow_manifests
from hubctl.usecases.render.params import base_params, cluster_params
from hubctl.usecases.validate.loader import load_fleet

HUB = """apiVersion: hubctl.io/v1alpha1
kind: Hub
metadata: {name: hub}
spec:
  repo:
    url: https://git.example.com/fleet.git
  defaults:
    resilience: {environments: [prod], minReplicas: 3}
"""
ENVS, REGIONS, PROVIDERS = ("dev", "staging", "prod"), ("eu-west", "us-east"), ("eks", "gke")
QUOTED = ("on", "123", "null")  # DNS labels YAML would not read back as strings unquoted


def _cluster(name: str, env: str, region: str, provider: str) -> str:
    return f"""apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata: {{name: "{name}"}}
spec:
  server: https://{name}.k8s.example.com
  provider: {provider}
  environment: {env}
  region: {region}
  credentials: {{awsRole: {{roleARN: "arn:aws:iam::123456789012:role/{name}", clusterName: "{name}"}}}}
"""


def _flow(name: str, overrides: dict[str, dict[str, int]], params: str = "") -> str:
    lines = [f"""apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata: {{name: {name}}}
spec:
  space: team
  blueprint: http-service
  params:
    image: registry.example.com/{name}:1.0.0
    replicas: 1{params}
  placement:
    selector: {{}}""" + ("\n  overrides:" if overrides else "")]
    for layer, entries in overrides.items():
        lines.append(f"    {layer}:")
        lines += [f'      "{key}": {{replicas: {replicas}}}' for key, replicas in entries.items()]
    return "\n".join(lines) + "\n"


def _fleet(root: Path, seed: int) -> Path:
    rng = random.Random(seed)
    names = [f"c-{i:02d}" for i in range(24)] + list(QUOTED)
    facts = {name: (rng.choice(ENVS), rng.choice(REGIONS), rng.choice(PROVIDERS)) for name in names}
    (root / "clusters").mkdir(parents=True)
    (root / "spaces").mkdir()
    (root / "flows").mkdir()
    (root / "hubctl.yaml").write_text(HUB)
    for name, (env, region, provider) in facts.items():
        (root / "clusters" / f"{name}.yaml").write_text(_cluster(name, env, region, provider))
    (root / "spaces" / "team.yaml").write_text("apiVersion: hubctl.io/v1alpha1\nkind: Space\nmetadata: {name: team}\n"
                                               "spec:\n  owners: [team]\n")
    layers = {"env": ENVS, "region": REGIONS, "provider": PROVIDERS}
    for i in range(6):
        overrides = {layer: {v: rng.randint(2, 9) for v in rng.sample(values, rng.randint(1, len(values)))}
                     for layer, values in layers.items() if rng.random() < 0.6}
        if rng.random() < 0.5:
            overrides["cluster"] = {n: rng.randint(2, 9) for n in rng.sample(names, 3)}
        params = "\n    resilience: {enabled: false}" if i == 5 else ""
        (root / "flows" / f"f-{i}.yaml").write_text(_flow(f"f-{i}", overrides, params))
    return root


@pytest.mark.parametrize("seed", range(8))
def test_every_placement_equals_the_flow_rendered_for_that_cluster_alone(tmp_path, seed):
    fleet = load_fleet(_fleet(tmp_path / "fleet", seed))
    result = render_fleet(fleet)
    seen = set()
    for p in result.placements:
        flow, cluster = fleet.flows[p.flow], fleet.clusters[p.cluster]
        alone = flow_manifests(fleet, flow, cluster, cluster_params(base_params(fleet, flow), flow, cluster))
        path = f"spokes/{p.cluster}/flows/{p.space}/{p.flow}/manifests.yaml"
        assert result.files[path].decode() == header(flow.origin.file) + dump_all(alone), path
        seen.add(alone[0]["spec"]["replicas"] if alone[0]["kind"] == "Deployment" else None)
    assert len(result.placements) == 27 * 6 and len(seen) > 3  # the overrides made the files differ


def test_a_cluster_override_applies_to_that_cluster_only(tmp_path):
    root = _fleet(tmp_path / "fleet", 0)
    for name in ("c-00", "c-01"):  # the same facts: only the name tells them apart
        (root / "clusters" / f"{name}.yaml").write_text(_cluster(name, "dev", "eu-west", "eks"))
    (root / "flows" / "f-0.yaml").write_text(_flow("f-0", {"env": {"dev": 4}, "cluster": {"c-01": 7}}))
    files = render_fleet(load_fleet(root)).files
    assert "replicas: 4\n" in files["spokes/c-00/flows/team/f-0/manifests.yaml"].decode()
    assert "replicas: 7\n" in files["spokes/c-01/flows/team/f-0/manifests.yaml"].decode()


def test_a_bad_param_in_one_cluster_override_is_reported_for_that_cluster(tmp_path):
    from hubctl.usecases.validate.loader import analyze

    root = _fleet(tmp_path / "fleet", 0)
    for name in ("c-00", "c-01", "c-02"):  # the same facts: only the name tells them apart
        (root / "clusters" / f"{name}.yaml").write_text(_cluster(name, "dev", "eu-west", "eks"))
    (root / "flows" / "f-0.yaml").write_text(_flow("f-0", {"env": {"dev": 4}, "cluster": {"c-01": -1}}))
    problems = [p for p in analyze(root).problems if p.code == "bad-param"]
    assert len(problems) == 1 and problems[0].file == "flows/f-0.yaml", problems
    assert "(on c-01)" in problems[0].message, problems[0].message
