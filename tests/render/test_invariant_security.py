"""Security and labelling invariants of the render: no secret material in Git, tenant projects that only
allow their own namespaces, and the hubctl labels DESIGN.md requires on everything rendered."""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path

import pytest
from support import k8s_schemas as ks

from hubctl.usecases.render.blueprints import CLUSTER_SCOPED_KINDS
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fleet"
MANAGED_BY = ("app.kubernetes.io/managed-by", "hubctl")
SECRET_WORDS = re.compile(r"(bearertoken|password|passwd|keydata|certdata|token|privatekey|clientsecret|username)$",
                          re.I)
CLUSTER_SECRET_KEYS = {"name", "server", "config", "namespaces", "clusterResources", "project", "shard"}
CONFIG_KEYS = {"awsAuthConfig", "execProviderConfig", "tlsClientConfig"}
ALLOWED_CONFIG = {"awsAuthConfig": {"clusterName", "roleARN", "profile"},
                  "execProviderConfig": {"command", "args", "env", "apiVersion", "installHint"},
                  "tlsClientConfig": {"insecure", "caData", "serverName"}}
SECRET_ENV = re.compile(r"(TOKEN|SECRET|PASSWORD|PRIVATE|CREDENTIAL)", re.I)


class Rendered:
    def __init__(self, path: Path):
        self.fleet = load_fleet(path)
        self.render = render_fleet(self.fleet)
        self.docs = ks.load_render(self.render.files)

    def objects(self, prefix: str = ""):
        for path, docs in self.docs.items():
            if path.startswith(prefix):
                for doc in docs:
                    yield path, doc


@pytest.fixture(scope="module", params=["example", "fleetgen"])
def rendered(request, tmp_path_factory) -> Rendered:
    if request.param == "example":
        return Rendered(EXAMPLE)
    return Rendered(ks.fleetgen(tmp_path_factory.mktemp("fleetgen") / "fleet"))


# --- no secret material ------------------------------------------------------------------------------

def _keys(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{prefix}{key}", key
            yield from _keys(item, f"{prefix}{key}.")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _keys(item, f"{prefix}{i}.")


def secret_problems(doc: dict) -> list[str]:
    """Why a rendered Secret would put credentials in Git (empty when it holds none)."""
    values = {k: base64.b64decode(v).decode() for k, v in (doc.get("data") or {}).items()}
    values.update(doc.get("stringData") or {})
    problems = [f"key {k}" for k in values if SECRET_WORDS.search(k) or k not in CLUSTER_SECRET_KEYS]
    if "config" in values:
        config = json.loads(values["config"])
        problems += [f"config.{k}" for k in config if k not in CONFIG_KEYS]
        for section, allowed in ALLOWED_CONFIG.items():
            problems += [f"config.{section}.{k}" for k in config.get(section, {}) if k not in allowed]
        problems += [f"config {path}" for path, key in _keys(config) if SECRET_WORDS.search(str(key))]
        env = config.get("execProviderConfig", {}).get("env") or {}
        problems += [f"exec env {k}" for k in env if SECRET_ENV.search(k)]
    return problems


def test_no_secret_carries_credentials(rendered):
    secrets = [(p, d) for p, d in rendered.objects() if d["kind"] == "Secret"]
    assert secrets
    for path, doc in secrets:
        assert path.startswith("hub/clusters/"), "a Secret outside the cluster registrations"
        assert secret_problems(doc) == [], path


def test_secret_check_can_fail(rendered):
    _, doc = next((p, d) for p, d in rendered.objects() if d["kind"] == "Secret")
    bad_configs = [{"bearerToken": "x"}, {"tlsClientConfig": {"keyData": "x"}},
                   {"tlsClientConfig": {"certData": "x"}}, {"username": "u", "password": "p"},
                   {"execProviderConfig": {"command": "c", "env": {"API_TOKEN": "x"}}}]
    for config in bad_configs:
        broken = copy.deepcopy(doc)
        broken["stringData"]["config"] = json.dumps(config)
        assert secret_problems(broken), config
    broken = copy.deepcopy(doc)
    broken["data"] = {"token": base64.b64encode(b"x").decode()}
    assert secret_problems(broken)


def test_external_secret_registrations_take_config_from_the_store():
    r = Rendered(EXAMPLE)
    found = [(p, d) for p, d in r.objects("hub/clusters/") if d["kind"] == "ExternalSecret"]
    assert found
    for _, doc in found:
        data = doc["spec"]["target"]["template"]["data"]
        assert re.fullmatch(r"\{\{\s*\.config\s*\}\}", data["config"])
        assert [d["secretKey"] for d in doc["spec"]["data"]] == ["config"]


# --- tenant projects ---------------------------------------------------------------------------------

def _space_projects(rendered):
    for name in rendered.fleet.spaces:
        (doc,) = rendered.docs[f"hub/projects/{name}.yaml"]
        yield rendered.fleet.spaces[name], doc


def test_space_projects_allow_only_their_namespaces_on_usable_clusters(rendered):
    fleet = rendered.fleet
    for space, project in _space_projects(rendered):
        spec = project["spec"]
        assert spec["clusterResourceWhitelist"] == []
        assert "namespaceResourceWhitelist" not in spec or spec["namespaceResourceWhitelist"]
        for dest in spec["destinations"]:
            assert set(dest) == {"name", "namespace"}, dest
            assert not any(str(v).startswith("!") or any(ch in str(v) for ch in "*?[") for v in dest.values())
            assert dest["namespace"] in space.namespaces
            assert dest["namespace"] != fleet.hub.argocd_namespace
            cluster = fleet.clusters[dest["name"]]
            assert cluster.dedicated_to in (None, space.name)
        needed = {(p.cluster, p.namespace) for p in rendered.render.placements if p.space == space.name}
        assert needed <= {(d["name"], d["namespace"]) for d in spec["destinations"]}
        assert not any(r.startswith("!") or r == "*" for r in spec["sourceRepos"])


def test_every_project_uses_allow_rules_only(rendered):
    for path, doc in rendered.objects("hub/projects/"):
        for dest in doc["spec"]["destinations"]:
            assert not any(str(v).startswith("!") for v in dest.values()), path
        assert not any(r.startswith("!") for r in doc["spec"]["sourceRepos"]), path


def test_space_project_roles_reach_only_their_own_project(rendered):
    for space, project in _space_projects(rendered):
        for role in project["spec"]["roles"]:
            for policy in role["policies"]:
                parts = [p.strip() for p in policy.split(",")]
                assert parts[0] == "p" and parts[1] == f"proj:{space.name}:{role['name']}", policy
                assert parts[4].startswith(f"{space.name}/") and parts[5] == "allow", policy
        groups = {r["name"]: r["groups"] for r in project["spec"]["roles"]}
        assert groups["owner"] == list(space.owners)


def test_flow_objects_stay_in_the_flow_namespace_and_out_of_blacklisted_kinds(rendered):
    projects = {s.name: p for s, p in _space_projects(rendered)}
    for p in rendered.render.placements:
        path = f"spokes/{p.cluster}/flows/{p.space}/{p.flow}/manifests.yaml"
        blacklist = {(b["group"], b["kind"]) for b in projects[p.space]["spec"].get("namespaceResourceBlacklist", [])}
        for doc in rendered.docs.get(path, []):
            group = doc["apiVersion"].rpartition("/")[0]
            assert doc["kind"] not in CLUSTER_SCOPED_KINDS, path
            assert doc["metadata"]["namespace"] == p.namespace, path
            assert (group, doc["kind"]) not in blacklist, path


def test_space_objects_bind_only_namespace_roles_and_deny_by_default(rendered):
    for path, doc in rendered.objects("spokes/"):
        if "/spaces/" not in path:
            continue
        space = rendered.fleet.spaces[Path(path).stem]
        if doc["kind"] == "Namespace":
            assert doc["metadata"]["name"] in space.namespaces
        else:
            assert doc["metadata"]["namespace"] in space.namespaces
        if doc["kind"] == "RoleBinding":
            assert doc["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                      "name": doc["roleRef"]["name"]}
            assert doc["roleRef"]["name"] in ("admin", "edit", "view")
    for path, docs in rendered.docs.items():
        if "/spaces/" in path:
            space = rendered.fleet.spaces[Path(path).stem]
            if space.network.isolation == "none":
                continue
            denied = {d["metadata"]["namespace"] for d in docs if d["kind"] == "NetworkPolicy"
                      and d["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}
            assert denied == set(space.namespaces), path


# --- labels the DESIGN requires ----------------------------------------------------------------------

def _labels(doc):
    return doc["metadata"].get("labels") or {}


def test_every_rendered_object_is_labelled_managed_by_hubctl(rendered):
    for path, doc in rendered.objects():
        assert _labels(doc).get(MANAGED_BY[0]) == MANAGED_BY[1], path


def test_flow_objects_carry_space_flow_cluster_and_provenance(rendered):
    for path, doc in rendered.objects("spokes/"):
        parts = path.split("/")
        if parts[2] != "flows":
            continue
        cluster, space, flow = parts[1], parts[3], parts[4]
        labels = _labels(doc)
        assert (labels.get("hubctl.io/space"), labels.get("hubctl.io/flow"), labels.get("hubctl.io/cluster")) == (
            space, flow, cluster), path
        assert doc["metadata"]["annotations"]["hubctl.io/source"] == rendered.fleet.flows[flow].origin.file


def test_space_objects_carry_their_space(rendered):
    for path, doc in rendered.objects("spokes/"):
        if path.split("/")[2] == "spaces":
            assert _labels(doc).get("hubctl.io/space") == Path(path).stem, path


def test_hub_objects_carry_their_space_flow_or_cluster(rendered):
    for path, doc in rendered.objects("hub/"):
        kind, labels = doc["kind"], _labels(doc)
        if path.startswith("hub/clusters/"):
            assert labels.get("hubctl.io/cluster") == Path(path).stem, path
        elif kind == "ApplicationSet" and not path.endswith("/hubctl-spaces.yaml"):
            flow = rendered.fleet.flows[labels["hubctl.io/flow"]]
            assert labels.get("hubctl.io/space") == flow.space and path.endswith(f"/{flow.space}-{flow.name}.yaml")
            template = doc["spec"]["template"]["metadata"]["labels"]
            assert {"hubctl.io/space", "hubctl.io/flow", "hubctl.io/cluster", "hubctl.io/env"} <= set(template)
        elif kind == "AppProject" and Path(path).stem in rendered.fleet.spaces:
            assert labels.get("hubctl.io/space") == Path(path).stem


def test_every_rendered_object_carries_a_provenance_annotation(rendered):
    """DESIGN.md: every rendered object names the spec it came from (hubctl.io/source)."""
    missing, unknown = set(), set()
    for path, doc in rendered.objects():
        source = (doc["metadata"].get("annotations") or {}).get("hubctl.io/source")
        if not source:
            missing.add(f"{path.split('/')[0]}:{doc['kind']}")
        elif not (rendered.fleet.root / source).is_file():
            unknown.add(source)
    assert missing == set() and unknown == set()
