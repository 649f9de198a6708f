"""Hostile blueprints and flows, generated from seeds: every object a flow renders lies in its space's
namespaces (or is a cluster-scoped kind the hub grants that space), or validation refused the fleet.

The oracle here is the test's own: its lists of cluster-scoped and platform kinds, not hubctl's.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
import yaml

from hubctl.base.errors import HubctlError
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.render.flows import manifests_from
from hubctl.usecases.render.template import TemplateError
from hubctl.usecases.validate.loader import analyze

BASE = Path(__file__).resolve().parents[1] / "bad_fleets" / "_base"
SPACES = {"team-a": ["team-a", "team-a-batch"], "team-b": ["team-b"]}
NAMESPACES = ["team-a", "team-a-batch", "team-b", "kube-system", "default", "argocd", "payments", "ingress-nginx"]
KINDS = [  # (apiVersion, kind, cluster-scoped, platform-only)
    ("v1", "ConfigMap", False, False), ("apps/v1", "Deployment", False, False),
    ("example.com/v1", "Widget", False, False), ("v1", "Namespace", True, False),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", True, False),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", True, False), ("example.com/v1", "ClusterWidget", True, False),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", False, True), ("v1", "ResourceQuota", False, True),
    ("networking.k8s.io/v1", "NetworkPolicy", False, True), ("cilium.io/v2", "CiliumNetworkPolicy", False, True),
    ("cilium.io/v2", "CiliumClusterwideNetworkPolicy", True, True),
    ("crd.projectcalico.org/v1", "GlobalNetworkPolicy", True, True),
    ("projectcalico.org/v3", "NetworkPolicy", False, True),
    ("crd.antrea.io/v1beta1", "ClusterNetworkPolicy", True, True),
    ("crd.antrea.io/v1beta1", "Tier", True, True), ("v1", "List", False, False), ("v1", "ConfigMapList", False, False),
]
SCOPE = {kind: (cluster, platform) for _, kind, cluster, platform in KINDS}
GRANT = ("rbac.authorization.k8s.io", "ClusterRole")  # what the hub grants team-b in some fleets


def _namespace(rng: random.Random, params: dict, choices: list[str]) -> dict | str:
    """A template's metadata: no namespace, or one written out, from params, or the whole metadata from params."""
    meta: dict = {"name": "${{ flow.name }}"}
    roll = rng.random()
    if roll < 0.25:
        meta["namespace"] = rng.choice(choices)
    elif roll < 0.4:
        params[f"n{len(params)}"] = rng.choice(choices)
        meta["namespace"] = f"${{{{ params.n{len(params) - 1} }}}}"
    elif roll < 0.45:
        meta["namespace"] = "${{ flow.namespace }}"
    elif roll < 0.55:
        params[f"m{len(params)}"] = {"name": "x", "namespace": rng.choice(choices)}
        return f"${{{{ params.m{len(params) - 1} }}}}"
    return meta


def _object(rng: random.Random, params: dict, space: str, depth: int = 0) -> dict:
    """One template: mostly harmless (the space's own namespaces and kinds), else hostile in one or more ways."""
    if rng.random() < 0.6:
        api, kind = rng.choice([("v1", "ConfigMap"), ("apps/v1", "Deployment"), ("example.com/v1", "Widget"),
                                ("rbac.authorization.k8s.io/v1", "ClusterRole")])
        return {"apiVersion": api, "kind": kind, "metadata": _namespace(rng, params, SPACES[space])}
    api, kind, _, _ = rng.choice(KINDS)
    obj: dict = {}
    if rng.random() < 0.15:
        params[f"k{len(params)}"] = kind
        obj["kind"] = f"${{{{ params.k{len(params) - 1} }}}}"
    else:
        obj["kind"] = kind
    obj["apiVersion"] = api if rng.random() > 0.1 else "${{ params.api }}"
    params.setdefault("api", api)
    obj["metadata"] = _namespace(rng, params, NAMESPACES)
    if rng.random() < 0.05:
        params[f"t{len(params)}"] = "metadata"
        obj[f"${{{{ params.t{len(params) - 1} }}}}"] = {"name": "y", "namespace": rng.choice(NAMESPACES)}
    if kind.endswith("List") or rng.random() < 0.05:
        obj["items"] = [_object(rng, params, space, depth + 1) for _ in range(rng.randint(1, 2))] if depth < 2 else []
    return obj


def _fleet(seed: int, root: Path) -> Path:
    rng = random.Random(seed)
    shutil.copytree(BASE, root)
    (root / "flows" / "api.yaml").unlink()
    hub = (BASE / "hubctl.yaml").read_text()
    if rng.random() < 0.5:
        hub += f"  tenancy:\n    clusterScopedKinds:\n      team-b:\n      - {{group: {GRANT[0]}, kind: {GRANT[1]}}}\n"
    (root / "hubctl.yaml").write_text(hub)
    for name, namespaces in SPACES.items():
        (root / "spaces" / f"{name}.yaml").write_text(
            f"apiVersion: hubctl.io/v1alpha1\nkind: Space\nmetadata:\n  name: {name}\nspec:\n  owners: [{name}]\n"
            f"  namespaces: {json.dumps(namespaces)}\n")
    space = rng.choice(sorted(SPACES))
    params: dict = {}
    templates = [_object(rng, params, space) for _ in range(rng.randint(1, 3))]
    bp = root / "blueprints" / "hostile"
    (bp / "templates").mkdir(parents=True)
    (bp / "blueprint.yaml").write_text("apiVersion: hubctl.io/v1alpha1\nkind: Blueprint\nmetadata:\n  name: hostile\n"
                                       "spec:\n  schema: {type: object}\n")
    for i, template in enumerate(templates):
        (bp / "templates" / f"t{i}.yaml").write_text(yaml.safe_dump(template, sort_keys=False))
    (root / "flows" / "app.yaml").write_text(yaml.safe_dump({
        "apiVersion": "hubctl.io/v1alpha1", "kind": "Flow", "metadata": {"name": "app"},
        "spec": {"space": space, "blueprint": "hostile", "params": params,
                 "placement": {"selector": {"matchLabels": {"env": rng.choice(["dev", "prod"])}}}}}))
    return root


def _escapes(obj, space: str, grants: set) -> list[str]:
    """What in one rendered object leaves `space`, judged by this test's own tables."""
    if not isinstance(obj, dict):
        return [f"not an object: {obj!r}"]
    kind, api = obj.get("kind"), str(obj.get("apiVersion", ""))
    if "items" in obj or str(kind).endswith("List"):
        return [f"a list reached the output: {kind}"]
    cluster, platform = SCOPE.get(kind, (True, True))  # a kind this test did not write came from somewhere else
    if platform:
        return [f"platform kind {kind}"]
    if cluster:
        return [] if (api.rpartition("/")[0], kind) in grants else [f"cluster-scoped {kind}"]
    namespace = (obj.get("metadata") or {}).get("namespace")
    return [] if namespace in SPACES[space] else [f"{kind} in namespace {namespace}"]


@pytest.mark.parametrize("chunk", range(4))
def test_hostile_flows_stay_in_their_space_or_are_refused(chunk, tmp_path):
    outcomes = {"refused": 0, "rendered": 0}
    for seed in range(chunk * 40, chunk * 40 + 40):
        root = _fleet(seed, tmp_path / f"fleet-{seed}")
        loaded = analyze(root)
        if loaded.problems:
            outcomes["refused"] += 1
            continue
        fleet = loaded.fleet
        try:
            render = render_fleet(fleet)
        except HubctlError as exc:
            pytest.fail(f"seed {seed}: validate accepted what render refuses: {exc}")
        outcomes["rendered"] += 1
        for path in render.files:
            parts = path.split("/")
            if parts[0] != "spokes" or parts[2] != "flows":
                continue
            space = parts[3]
            grants = set(fleet.hub.cluster_scoped_grants.get(space, ()))
            for obj in yaml.safe_load_all(render.files[path]):
                if obj is not None:
                    assert not _escapes(obj, space, grants), (seed, path, obj)
    assert outcomes["refused"] and outcomes["rendered"], outcomes  # the generator exercises both sides


CONTEXT = {"params": {"ns": "kube-system", "kind": "ClusterRoleBinding"},
           "flow": {"name": "app", "space": "team-a", "namespace": "team-a"},
           "space": {"name": "team-a", "namespaces": ["team-a"]},
           "cluster": {"name": "dev-1"}, "resilience": {}}


@pytest.mark.parametrize("template, message", [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-system}\n", "namespace `kube-system`"),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: '${{ params.ns }}'}\n",
     "namespace `kube-system`"),
    ("apiVersion: rbac.authorization.k8s.io/v1\nkind: '${{ params.kind }}'\nmetadata: {name: x}\n", "literally"),
    ("apiVersion: v1\nkind: List\nitems: []\n", "list"),
    ("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\n", "belongs to the platform"),
    ("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", "cluster-scoped"),
])
def test_render_refuses_what_leaves_the_space_even_unvalidated(template, message):
    with pytest.raises(TemplateError, match=message) as caught:
        manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml")
    assert "flow `app` on cluster `dev-1`: blueprints/x/templates/t.yaml:" in caught.value.message


def test_render_keeps_objects_in_the_space():
    template = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\n" \
               "metadata: {name: y, namespace: team-a}\n"
    objects = manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml")
    assert [o["metadata"]["namespace"] for o in objects] == ["team-a", "team-a"]


def test_render_of_an_unvalidated_fleet_names_the_real_cluster(tmp_path):
    root = tmp_path / "fleet"
    shutil.copytree(BASE, root)
    (root / "blueprints" / "sneaky" / "templates").mkdir(parents=True)
    (root / "blueprints" / "sneaky" / "blueprint.yaml").write_text(
        "apiVersion: hubctl.io/v1alpha1\nkind: Blueprint\nmetadata:\n  name: sneaky\nspec:\n  schema: {type: object}\n")
    (root / "blueprints" / "sneaky" / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: kube-system\n")
    flow = root / "flows" / "api.yaml"
    flow.write_text(flow.read_text().replace("blueprint: http-service", "blueprint: sneaky"))
    loaded = analyze(root)
    assert [p.code for p in loaded.problems] == ["namespace-escape"]

    with pytest.raises(TemplateError) as caught:
        render_fleet(loaded.fleet)

    assert caught.value.message == ("flow `api` on cluster `dev-1`: blueprints/sneaky/templates/cm.yaml:5:3 "
                                    "metadata.namespace: namespace `kube-system` is not one of the space's namespaces")


@pytest.mark.parametrize("api_version, kind", [
    ("templates.gatekeeper.sh/v1", "ConstraintTemplate"), ("constraints.gatekeeper.sh/v1beta1", "K8sRequiredLabels"),
    ("karpenter.sh/v1", "NodePool"), ("karpenter.sh/v1", "NodeClaim"), ("karpenter.k8s.aws/v1", "EC2NodeClass"),
    ("resource.k8s.io/v1beta1", "DeviceClass"), ("pkg.crossplane.io/v1", "Provider"),
    ("pkg.crossplane.io/v1", "Configuration"), ("pkg.crossplane.io/v1", "Function"),
])
def test_render_refuses_add_on_kinds_that_are_cluster_scoped(api_version, kind):
    template = f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n"
    with pytest.raises(TemplateError, match="cluster-scoped"):
        manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml")


def test_a_granted_kind_not_known_to_be_cluster_scoped_stays_in_the_space():
    template = "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: x, namespace: kube-system}\n"
    grants = (("cluster.x-k8s.io", "Cluster"),)
    with pytest.raises(TemplateError, match="namespace `kube-system`"):
        manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml", grants)
    quiet = "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: x}\n"
    objects = manifests_from((("blueprints/x/templates/t.yaml", quiet),), CONTEXT, "flows/app.yaml", grants)
    assert objects[0]["metadata"]["namespace"] == "team-a"


def test_a_granted_known_cluster_scoped_kind_renders_without_a_namespace():
    template = "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: x}\n"
    objects = manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml",
                             (("karpenter.sh", "NodePool"),))
    assert "namespace" not in objects[0]["metadata"]


CLUSTER_STORE_REFS = [
    "spec: {secretStoreRef: {name: platform, kind: ClusterSecretStore}, target: {name: db}}",
    "spec: {secretStoreRef: {name: own, kind: SecretStore}, data: [{secretKey: a, remoteRef: {key: a},"
    " sourceRef: {storeRef: {name: platform, kind: ClusterSecretStore}}}]}",
]


@pytest.mark.parametrize("spec", CLUSTER_STORE_REFS)
def test_a_tenant_external_secret_may_not_read_a_cluster_secret_store(spec):
    template = f"apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {{name: x}}\n{spec}\n"
    with pytest.raises(TemplateError, match="reads a ClusterSecretStore"):
        manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml")
    granted = manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml",
                             (("external-secrets.io", "ClusterSecretStore"),))
    assert granted[0]["kind"] == "ExternalSecret"


def test_a_tenant_external_secret_reads_its_own_secret_store():
    template = ("apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: x}\n"
                "spec: {secretStoreRef: {name: own, kind: SecretStore}, target: {name: db}}\n")
    assert manifests_from((("blueprints/x/templates/t.yaml", template),), CONTEXT, "flows/app.yaml")
