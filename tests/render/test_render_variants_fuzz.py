"""Seeded, bounded fuzz of the shared space variants (Hub spec.render.layout: variants): random space specs
(namespaces, owners, quotas, limits, network rules) and cluster names YAML would read as numbers. Whatever
comes in, each cluster's spaces kustomization builds exactly the objects the per-cluster layout renders for
it, and the render is the same twice. The kustomize build is a model of the subset hubctl writes (resources
and `labels` without selectors), checked against kubectl's real kustomize on the first seeds."""

from __future__ import annotations

import posixpath
import random
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fleet"
KUBECTL = shutil.which("kubectl")
ODD_NAMES = ["1e3", "0755", "123", "0x1f"]


def docs(data: bytes) -> list[dict]:
    return [d for d in yaml.safe_load_all(data) if d is not None]


def identity(doc: dict) -> tuple:
    return doc["apiVersion"], doc["kind"], doc["metadata"].get("namespace", ""), doc["metadata"]["name"]


def built(files, directory: str) -> list[dict]:
    """What kustomize builds from `directory`, for the fields hubctl's kustomizations use (anything else fails)."""
    (kustomization,) = docs(files[f"{directory}/kustomization.yaml"])
    assert set(kustomization) <= {"apiVersion", "kind", "resources", "labels"}, kustomization
    objects: list[dict] = []
    for resource in kustomization["resources"]:
        target = posixpath.normpath(posixpath.join(directory, resource))
        objects += built(files, target) if f"{target}/kustomization.yaml" in files else docs(files[target])
    for item in kustomization.get("labels", []):
        assert set(item) == {"pairs", "includeSelectors"} and item["includeSelectors"] is False, item
        for obj in objects:
            obj["metadata"].setdefault("labels", {}).update(item["pairs"])
    return objects


def hostile_fleet(root: Path, seed: int) -> Path:
    rng = random.Random(seed)
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("rendered"))
    hub = root / "hubctl.yaml"
    hub.write_text(hub.read_text() + "  render:\n    layout: variants\n")
    names = sorted(p.stem for p in (root / "spaces").glob("*.yaml"))
    for name in names:
        path = root / "spaces" / f"{name}.yaml"
        doc = yaml.safe_load(path.read_text())
        spec = doc["spec"]
        spec["namespaces"] += [f"{name}-x{i}" for i in range(rng.randint(0, 2))]
        spec["owners"] = [f"team-{rng.randint(0, 3)}" for _ in range(rng.randint(1, 2))]
        spec["viewers"] = [f"view-{rng.randint(0, 3)}" for _ in range(rng.randint(0, 2))]
        quota = ["cpu", "memory", "limitsCpu", "limitsMemory", "pods", "storage", "services", "loadBalancers"]
        spec["quota"] = {k: rng.choice(["2", 4, "8Gi", "0"]) for k in rng.sample(quota, rng.randint(0, 4))}
        limits = ["defaultCpu", "defaultMemory", "defaultRequestCpu", "maxCpu", "maxMemory"]
        spec["limits"] = {k: rng.choice(["100m", "1Gi", 2]) for k in rng.sample(limits, rng.randint(0, 3))}
        network = {"isolation": rng.choice(["default-deny", "none"]),
                   "egress": rng.choice(["all", "dns-only", "cidrs"]),
                   "allowFromSpaces": rng.sample(names, rng.randint(0, 2)),
                   "allowIngressController": rng.random() < .5}
        if network["egress"] == "cidrs":
            network["egressCidrs"] = ["10.0.0.0/8"][: rng.randint(0, 1)]
        spec["network"] = network
        for key in ("quota", "limits", "viewers"):
            if not spec[key]:
                del spec[key]
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
    for odd in rng.sample(ODD_NAMES, rng.randint(0, 2)):
        text = (root / "clusters" / "prod-eu-2.yaml").read_text()
        for key in ("name", "clusterName"):
            text = text.replace(f"{key}: prod-eu-2", f"{key}: '{odd}'")
        (root / "clusters" / f"{odd}.yaml").write_text(text.replace("prod-eu-2", odd))
    return root


@pytest.mark.parametrize("seed", range(12))
def test_each_cluster_builds_exactly_its_per_cluster_space_objects(tmp_path, seed):
    root = hostile_fleet(tmp_path / "fleet", seed)
    render = render_fleet(load_fleet(root))
    expected: dict[str, list[dict]] = {}
    for rel, data in render.by_cluster.items():
        parts = rel.split("/")
        if parts[2] == "spaces":
            expected.setdefault(parts[1], []).extend(docs(data))
    assert expected and set(odd for odd in ODD_NAMES if (root / "clusters" / f"{odd}.yaml").exists()) <= set(expected)
    for cluster, objects in expected.items():
        got = built(render.files, f"spokes/{cluster}/spaces")
        assert sorted(got, key=identity) == sorted(objects, key=identity), (seed, cluster)
    again = render_fleet(load_fleet(root)).files
    assert list(again) == list(render.files) and all(again[p] == render.files[p] for p in again)
    if seed < 3 and KUBECTL is not None:  # the model against real kustomize
        out = tmp_path / "out"
        for rel, data in render.files.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
        for cluster in sorted(expected):
            real = subprocess.run([KUBECTL, "kustomize", str(out / "spokes" / cluster / "spaces")], check=True,
                                  capture_output=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}).stdout
            assert sorted(docs(real), key=identity) == sorted(built(render.files, f"spokes/{cluster}/spaces"),
                                                              key=identity), (seed, cluster)
