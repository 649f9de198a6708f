"""Interoperability (opt-in, hub spec.render): SIG-Multicluster ClusterProfiles from the Git inventory and OCM
PlacementDecisions per flow, under <renderDir>/inventory/ (which the root Application does not sync)."""

from __future__ import annotations

from pathlib import Path

import yaml
from support.golden import check_tree

from hubctl import load_fleet
from hubctl.usecases.render.fleet import render_fleet

ROOT = Path(__file__).resolve().parent.parent.parent
RENDER = "  render:\n    clusterProfiles: true\n    placementDecisions: true\n"


def _inventory(files) -> dict[str, bytes]:
    return {rel: data for rel, data in files.items() if rel.startswith("inventory/")}


def test_off_by_default_the_example_fleet_renders_no_inventory():
    assert _inventory(render_fleet(load_fleet(ROOT / "examples" / "fleet")).files) == {}


def test_example_fleet_inventory_matches_golden(tmp_path, update_golden):
    import shutil

    fleet = tmp_path / "fleet"
    shutil.copytree(ROOT / "examples" / "fleet", fleet)
    hub = fleet / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("spec:\n", "spec:\n" + RENDER, 1))
    files = render_fleet(load_fleet(fleet)).files
    check_tree("interop-example-fleet", _inventory(files), update_golden)
    rest = {rel: data for rel, data in files.items() if not rel.startswith("inventory/")}
    assert rest == dict(render_fleet(load_fleet(ROOT / "examples" / "fleet")).files)  # nothing else changes


def test_cluster_profile_shape_follows_kep_4322(base_fleet):
    hub = base_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text() + "  render:\n    clusterProfiles: true\n    inventoryNamespace: inventory\n")
    files = render_fleet(load_fleet(base_fleet)).files
    assert sorted(_inventory(files)) == ["inventory/clusterprofiles/dev-1.yaml",
                                         "inventory/clusterprofiles/prod-1.yaml"]
    profile = yaml.safe_load(files["inventory/clusterprofiles/dev-1.yaml"])
    assert profile == {
        "apiVersion": "multicluster.x-k8s.io/v1alpha1",
        "kind": "ClusterProfile",
        "metadata": {"name": "dev-1", "namespace": "inventory",
                     "labels": {"x-k8s.io/cluster-manager": "hubctl", "app.kubernetes.io/managed-by": "hubctl",
                                "hubctl.io/cluster": "dev-1", "env": "dev", "provider": "eks",
                                "region": "eu-west", "tier": "standard"},
                     "annotations": {"hubctl.io/source": "clusters/dev-1.yaml"}},
        "spec": {"displayName": "dev-1", "clusterManager": {"name": "hubctl"}},
        "status": {"properties": [{"name": "clusterset.k8s.io", "value": "hub"},
                                  {"name": "location", "value": "eu-west"},
                                  {"name": "hubctl.io/server", "value": "https://dev-1.example.com"}]},
    }


def test_placement_decisions_group_by_rollout_stage_and_chunk_at_100(base_fleet):
    hub = base_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text() + "  render:\n    placementDecisions: true\n")
    for i in range(105):
        (base_fleet / "clusters" / f"p{i:03}.yaml").write_text(
            f"apiVersion: hubctl.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: p{i:03}\n"
            f"  labels:\n    ring: {'canary' if i < 2 else 'main'}\nspec:\n  server: https://p{i:03}.example.com\n"
            "  provider: eks\n  environment: prod\n  region: us-east\n  credentials:\n    awsRole:\n"
            "      roleARN: arn:aws:iam::123456789012:role/argocd\n")
    (base_fleet / "flows" / "wide.yaml").write_text(
        "apiVersion: hubctl.io/v1alpha1\nkind: Flow\nmetadata:\n  name: wide\nspec:\n  space: team-a\n"
        "  blueprint: http-service\n  params:\n    image: ghcr.io/example/w:1\n  placement:\n    selector:\n"
        "      matchLabels:\n        env: prod\n      matchExpressions:\n      - {key: ring, operator: Exists}\n"
        "  rollout:\n    stages:\n    - name: canary\n      selector:\n        matchLabels: {ring: canary}\n"
        "    - name: rest\n      selector:\n        matchLabels: {ring: main}\n")
    files = render_fleet(load_fleet(base_fleet)).files
    docs = list(yaml.safe_load_all(files["inventory/placementdecisions/team-a-wide.yaml"]))
    assert [d["metadata"]["name"] for d in docs] == ["team-a-wide-decision-1", "team-a-wide-decision-2",
                                                     "team-a-wide-decision-3"]
    assert [(d["metadata"]["labels"]["cluster.open-cluster-management.io/decision-group-index"],
             d["metadata"]["labels"]["cluster.open-cluster-management.io/decision-group-name"],
             len(d["status"]["decisions"])) for d in docs] == [("0", "canary", 2), ("1", "rest", 100), ("1", "rest", 3)]
    assert all(d["metadata"]["labels"]["cluster.open-cluster-management.io/placement"] == "team-a-wide" for d in docs)
    assert docs[0]["status"]["decisions"] == [{"clusterName": "p000", "reason": "rollout stage canary"},
                                              {"clusterName": "p001", "reason": "rollout stage canary"}]
    api = list(yaml.safe_load_all(files["inventory/placementdecisions/team-a-api.yaml"]))
    assert api[0]["metadata"]["labels"]["cluster.open-cluster-management.io/decision-group-name"] == ""
    assert api[0]["status"]["decisions"] == [{"clusterName": "dev-1", "reason": "selected"}]
    assert "inventory/clusterprofiles/dev-1.yaml" not in files


def test_a_cluster_label_cannot_take_over_the_cluster_manager_label(base_fleet):
    """Hostile: a cluster spec that labels itself as managed by another manager (or as another cluster)."""
    hub = base_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text() + "  render:\n    clusterProfiles: true\n")
    path = base_fleet / "clusters" / "dev-1.yaml"
    path.write_text(path.read_text().replace("    tier: standard\n", "    tier: standard\n"
                                             "    x-k8s.io/cluster-manager: someone-else\n"))
    labels = yaml.safe_load(render_fleet(load_fleet(base_fleet)).files["inventory/clusterprofiles/dev-1.yaml"])[
        "metadata"]["labels"]
    assert labels["x-k8s.io/cluster-manager"] == "hubctl" and labels["hubctl.io/cluster"] == "dev-1"
