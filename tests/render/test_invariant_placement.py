"""The placement invariant: the rendered ApplicationSets, evaluated as Argo CD evaluates them (hubctl.engines.appset)
against the rendered cluster registrations, generate exactly the Applications the placement says."""

from __future__ import annotations

import fnmatch
import json
import shutil
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml
from support import k8s_schemas as ks

from hubctl.engines.appset import expand, secret_from_registration
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fleet"
ODD_CLUSTERS = {  # DNS-1123 names that YAML 1.1 would read as bool or number when bare
    "on": ("dev", "eu-west", "standard"), "0755": ("prod", "eu-west", "gold"), "1e3": ("staging", "us-east", "gold"),
}


def _odd_names_fleet(root: Path) -> Path:
    shutil.copytree(EXAMPLE, root)
    for name, (env, region, tier) in ODD_CLUSTERS.items():
        (root / "clusters" / f"{name}.yaml").write_text(
            f"apiVersion: hubctl.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: {json.dumps(name)}\n"
            f"  labels:\n    tier: {tier}\nspec:\n  server: https://c-{name}.k8s.example.com\n  provider: eks\n"
            f"  environment: {env}\n  region: {region}\n  zones: [a, b]\n  credentials:\n    awsRole:\n"
            f"      roleARN: arn:aws:iam::123456789012:role/argocd-{name}\n")
    return root


VERSIONED_GIT_FLOW = """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: shop-docs
spec:
  space: storefront
  source:
    git:
      repoURL: https://git.example.com/storefront/docs.git
      path: deploy
      targetRevision: v2.0.0
      targetRevisionOverrides:
        env: {dev: main, staging: v2.1.0-rc.2}
        region: {ap-southeast: v2.0.0-ap}
        provider: {gke: v2.0.1}
        cluster: {staging-us-1: v2.1.0-rc.3}
  placement:
    selector:
      matchExpressions:
      - {key: tier, operator: NotIn, values: [lab]}
"""


def _versions_fleet(root: Path) -> Path:
    """The example fleet (its Helm chart flow pins versions per env) plus a git flow pinned on every layer."""
    shutil.copytree(EXAMPLE, root)
    (root / "flows" / "shop-docs.yaml").write_text(VERSIONED_GIT_FLOW)
    return root


class Rendered:
    """A rendered fleet with its Applications expanded, per ApplicationSet file."""

    def __init__(self, path: Path):
        self.fleet = load_fleet(path)
        self.render = render_fleet(self.fleet)
        self.docs = ks.load_render(self.render.files)
        self.secrets = [secret_from_registration(doc) for p, docs in self.docs.items()
                        if p.startswith("hub/clusters/") for doc in docs]
        self.apps: dict[str, list[dict]] = {}
        for p, docs in self.docs.items():
            if p.startswith("hub/applicationsets/"):
                (appset,) = docs
                self.apps[p] = expand(appset, clusters=self.secrets)

    def flow_apps(self) -> list[dict]:
        return [a for p, apps in self.apps.items() if not p.endswith("/hubctl-spaces.yaml") for a in apps]


EDGE_CLUSTER = """\
apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata:
  name: {name}
  labels:
    tier: edge
    zone: {zone}
spec:
  server: https://{name}.k8s.example.com
  provider: other
  environment: edge
  region: us-east
  credentials:
    externalSecret: {{store: vault, key: clusters/{name}}}
{extra}"""

EDGE_FLOW = """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: {name}
spec:
  space: storefront
  blueprint: http-service
  params:
    image: ghcr.io/example/{name}:1.0.0
  placement:
    selector:
      matchLabels: {{tier: edge}}
{extra}"""


def _rules_fleet(root: Path) -> Path:
    """The example fleet plus edge clusters and flows that use every placement rule of #18: a taint, a
    capacity, pick with preferred affinity and a DoNotSchedule topology spread, a toleration."""
    shutil.copytree(EXAMPLE, root)
    extras = {"edge-1": ("a", ""), "edge-2": ("a", "  capacity: {flows: 1}\n"), "edge-3": ("a", ""),
              "edge-4": ("b", ""), "edge-5": ("b", "  taints:\n  - {key: gpu, value: \"true\", effect: NoSchedule}\n")}
    for name, (zone, extra) in extras.items():
        (root / "clusters" / f"{name}.yaml").write_text(EDGE_CLUSTER.format(name=name, zone=zone, extra=extra))
    (root / "flows" / "edge-gpu.yaml").write_text(EDGE_FLOW.format(name="edge-gpu", extra=(
        "    tolerations:\n    - {key: gpu, operator: Exists}\n")))
    (root / "flows" / "edge-pick.yaml").write_text(EDGE_FLOW.format(name="edge-pick", extra=(
        "    pick: 3\n    preferred:\n    - {weight: 50, selector: {matchLabels: {zone: b}}}\n"
        "    topologySpreadConstraints:\n    - {topologyKey: zone, maxSkew: 1}\n")))
    return root


FLEETS = {"fleetgen": ks.fleetgen, "odd-names": _odd_names_fleet, "versions": _versions_fleet,
          "rules": _rules_fleet}


@pytest.fixture(scope="module", params=["example", *FLEETS])
def rendered(request, tmp_path_factory) -> Rendered:
    if request.param == "example":
        return Rendered(EXAMPLE)
    return Rendered(FLEETS[request.param](tmp_path_factory.mktemp(request.param) / "fleet"))


def test_every_registration_is_a_cluster_secret(rendered):
    assert None not in rendered.secrets
    assert sorted(s["stringData"]["name"] for s in rendered.secrets) == sorted(rendered.fleet.clusters)


def test_generated_applications_are_exactly_the_placements(rendered):
    placements = rendered.render.placements
    assert placements, "a fleet with no placement proves nothing"
    names = [a["metadata"]["name"] for a in rendered.flow_apps()]
    assert len(names) == len(set(names)), "duplicate Application names: Argo CD skips them"
    assert set(names) == {p.app_name for p in placements}


def test_each_flow_appset_generates_its_own_placements(rendered):
    by_file = defaultdict(set)
    for p in rendered.render.placements:
        by_file[f"hub/applicationsets/{p.space}-{p.flow}.yaml"].add(p.app_name)
    for path, apps in rendered.apps.items():
        if not path.endswith("/hubctl-spaces.yaml"):
            assert {a["metadata"]["name"] for a in apps} == by_file[path], path


def test_generated_applications_carry_the_placement(rendered):
    hub = rendered.fleet.hub
    apps = {a["metadata"]["name"]: a for a in rendered.flow_apps()}
    for p in rendered.render.placements:
        app = apps[p.app_name]
        spec, labels = app["spec"], app["metadata"]["labels"]
        assert app["metadata"]["namespace"] == hub.argocd_namespace
        assert spec["destination"] == {"name": p.cluster, "namespace": p.namespace}
        assert spec["project"] == p.space
        assert {k: labels.get(k) for k in ("hubctl.io/space", "hubctl.io/flow", "hubctl.io/cluster",
                                           "hubctl.io/env", "app.kubernetes.io/managed-by")} == {
            "hubctl.io/space": p.space, "hubctl.io/flow": p.flow, "hubctl.io/cluster": p.cluster,
            "hubctl.io/env": p.env, "app.kubernetes.io/managed-by": "hubctl"}
        assert app["metadata"]["annotations"].get("hubctl.io/source")


def test_blueprint_flows_point_at_their_rendered_spoke_manifests(rendered):
    hub = rendered.fleet.hub
    apps = {a["metadata"]["name"]: a for a in rendered.flow_apps()}
    expected_files = set()
    for p in rendered.render.placements:
        if rendered.fleet.flows[p.flow].blueprint is None:
            continue
        rel = f"spokes/{p.cluster}/flows/{p.space}/{p.flow}"
        source = apps[p.app_name]["spec"]["source"]
        assert source == {"repoURL": hub.repo_url, "targetRevision": hub.repo_branch,
                          "path": f"{hub.repo_path}/{rel}"}
        assert f"{rel}/manifests.yaml" in rendered.render.files
        expected_files.add(f"{rel}/manifests.yaml")
    flow_files = {p for p in rendered.render.files if p.startswith("spokes/") and "/flows/" in p}
    assert flow_files == expected_files, "spoke flow files without a placement (or missing)"


def _merge(base: dict, over: Mapping) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and isinstance(out.get(key), dict) else value
    return out


def _plain(value):
    return json.loads(json.dumps(value, default=lambda o: dict(o) if isinstance(o, Mapping) else list(o)))


def expected_helm_values(flow, placement) -> dict:
    """The flow's Helm values with the overrides for this cluster, env, region, provider (docs/specs.md order)."""
    values = _plain(flow.source["helm"].get("values", {}))
    keys = {"env": placement.env, "region": placement.region, "provider": placement.provider,
            "cluster": placement.cluster}
    for layer in ("env", "region", "provider", "cluster"):
        entry = (flow.overrides.get(layer) or {}).get(keys[layer])
        if entry:
            values = _merge(values, _plain(entry))
    return values


def expected_source_version(root: Path, flow, placement) -> str:
    """Read from the flow's file: the chart version or targetRevision, then its version overrides for this
    cluster's env, region, provider and name (docs/specs.md order, later wins)."""
    spec = next(d for d in yaml.safe_load_all((root / flow.origin.file).read_text())
                if d["metadata"]["name"] == flow.name)["spec"]
    kind, source = next(iter(spec["source"].items()))
    field = {"helm": "version", "git": "targetRevision"}[kind]
    version, overrides = source[field], source.get(f"{field}Overrides", {})
    keys = {"env": placement.env, "region": placement.region, "provider": placement.provider,
            "cluster": placement.cluster}
    for layer in ("env", "region", "provider", "cluster"):
        version = (overrides.get(layer) or {}).get(keys[layer], version)
    return version


def test_helm_flows_get_their_per_cluster_values(rendered):
    apps = {a["metadata"]["name"]: a for a in rendered.flow_apps()}
    helm = [p for p in rendered.render.placements if (rendered.fleet.flows[p.flow].source or {}).get("helm")]
    if rendered.fleet.root == EXAMPLE.resolve():
        assert {p.cluster for p in helm} == {"staging-eu-1", "prod-eu-1", "prod-eu-2"}
    for p in helm:
        flow = rendered.fleet.flows[p.flow]
        source = apps[p.app_name]["spec"]["source"]
        assert source["chart"] == flow.source["helm"]["chart"]
        assert (yaml.safe_load(source["helm"]["values"]) or {}) == expected_helm_values(flow, p)
        assert not any(f"/{p.space}/{p.flow}/" in f for f in rendered.render.files if f.startswith("spokes/"))


def test_external_flows_run_their_cluster_source_version(rendered):
    apps = {a["metadata"]["name"]: a for a in rendered.flow_apps()}
    external = [p for p in rendered.render.placements if rendered.fleet.flows[p.flow].source]
    for p in external:
        expected = expected_source_version(rendered.fleet.root, rendered.fleet.flows[p.flow], p)
        assert apps[p.app_name]["spec"]["source"]["targetRevision"] == expected, p.app_name


def test_per_env_versions_generate_each_clusters_revision(tmp_path):
    r = Rendered(_versions_fleet(tmp_path / "fleet"))
    revisions = {a["metadata"]["name"]: a["spec"]["source"]["targetRevision"] for a in r.flow_apps()
                 if a["metadata"]["labels"]["hubctl.io/flow"] in ("dashboards", "shop-docs")}
    assert revisions == {
        "dashboards-staging-eu-1": "8.6.1", "dashboards-prod-eu-1": "8.5.2", "dashboards-prod-eu-2": "8.5.2",
        "shop-docs-dev-eu-1": "main", "shop-docs-staging-eu-1": "v2.1.0-rc.2",
        "shop-docs-staging-us-1": "v2.1.0-rc.3",  # cluster beats provider gke and env staging
        "shop-docs-prod-us-1": "v2.0.1", "shop-docs-prod-ap-1": "v2.0.0-ap",
        "shop-docs-prod-eu-1": "v2.0.0", "shop-docs-prod-eu-2": "v2.0.0", "shop-docs-prod-us-2": "v2.0.0",
    }


def test_generated_applications_match_the_argo_cd_application_schema(rendered):
    failures = [f"{a['metadata']['name']}: {e}" for a in rendered.flow_apps() for e in ks.errors(a)]
    assert failures == []


def test_example_helm_override_reaches_only_its_cluster():
    r = Rendered(EXAMPLE)
    apps = {a["metadata"]["name"]: a for a in r.flow_apps()}
    replicas = {name: yaml.safe_load(apps[name]["spec"]["source"]["helm"]["values"])["replicas"]
                for name in ("dashboards-prod-eu-1", "dashboards-prod-eu-2")}
    assert replicas == {"dashboards-prod-eu-1": 2, "dashboards-prod-eu-2": 1}


def test_spaces_appset_generates_one_app_per_cluster_with_placements(rendered):
    hub = rendered.fleet.hub
    clusters = {p.cluster for p in rendered.render.placements}
    apps = rendered.apps["hub/applicationsets/hubctl-spaces.yaml"]
    assert sorted(a["metadata"]["name"] for a in apps) == sorted(f"spaces-{c}" for c in clusters)
    for app in apps:
        cluster = app["metadata"]["labels"]["hubctl.io/cluster"]
        assert app["spec"]["project"] == hub.admin_project
        assert app["spec"]["destination"] == {"name": cluster}
        assert app["spec"]["source"]["path"] == f"{hub.repo_path}/spokes/{cluster}/spaces"
        assert app["metadata"]["labels"]["hubctl.io/env"] == rendered.fleet.clusters[cluster].environment


def test_each_cluster_gets_exactly_the_spaces_it_hosts(rendered):
    want = {f"spokes/{p.cluster}/spaces/{p.space}.yaml" for p in rendered.render.placements}
    have = {p for p in rendered.render.files if p.startswith("spokes/") and "/spaces/" in p}
    assert have == want


def _step_matches(step: dict, labels: dict) -> bool:
    for expr in step.get("matchExpressions", []):
        value = labels.get(expr["key"])
        held = value in expr["values"]
        if (expr["operator"] == "In") != held:
            return False
    return True


def test_rolling_sync_steps_cover_every_generated_application(rendered):
    """RollingSync never syncs an Application that no step matches."""
    for path, apps in rendered.apps.items():
        (appset,) = rendered.docs[path]
        steps = ((appset["spec"].get("strategy") or {}).get("rollingSync") or {}).get("steps")
        for app in apps if steps else ():
            assert any(_step_matches(s, app["metadata"]["labels"]) for s in steps), app["metadata"]["name"]


def _project_admits(project: dict, app: dict) -> bool:
    spec, dest, repo = project["spec"], app["spec"]["destination"], app["spec"]["source"]["repoURL"]
    repo_ok = any(fnmatch.fnmatchcase(repo, glob) for glob in spec.get("sourceRepos", []))
    dest_ok = any(fnmatch.fnmatchcase(dest.get("name", ""), d.get("name", "")) and
                  fnmatch.fnmatchcase(dest.get("namespace", ""), d.get("namespace", ""))
                  for d in spec.get("destinations", []) if "name" in d)
    if dest.get("server"):
        dest_ok = any(fnmatch.fnmatchcase(dest["server"], d.get("server", "")) and
                      fnmatch.fnmatchcase(dest.get("namespace", ""), d.get("namespace", ""))
                      for d in spec.get("destinations", []) if "server" in d)
    return repo_ok and dest_ok


def test_every_application_is_admitted_by_its_project(rendered):
    projects = {doc["metadata"]["name"]: doc for p, docs in rendered.docs.items()
                if p.startswith("hub/projects/") for doc in docs}
    root = rendered.docs["hub/root.yaml"][0]
    for app in [root, *(a for apps in rendered.apps.values() for a in apps)]:
        project = projects[app["spec"]["project"]]
        assert _project_admits(project, app), app["metadata"]["name"]


def test_project_admission_check_can_fail(rendered):
    app = rendered.flow_apps()[0]
    project = next(doc for p, docs in rendered.docs.items() if p == f"hub/projects/{app['spec']['project']}.yaml"
                   for doc in docs)
    moved = json.loads(json.dumps(app))
    moved["spec"]["destination"]["namespace"] = "kube-system"
    assert not _project_admits(project, moved)


def test_odd_cluster_names_survive_yaml_and_templates(tmp_path):
    r = Rendered(_odd_names_fleet(tmp_path / "fleet"))
    placed = {p.cluster for p in r.render.placements}
    assert set(ODD_CLUSTERS) <= placed
    apps = {a["metadata"]["name"]: a for a in r.flow_apps()}
    for p in r.render.placements:
        if p.cluster in ODD_CLUSTERS:
            assert apps[p.app_name]["spec"]["destination"]["name"] == p.cluster
            path = f"spokes/{p.cluster}/flows/{p.space}/{p.flow}/manifests.yaml"
            if path in r.render.files:
                for doc in yaml.safe_load_all(r.render.files[path]):
                    assert doc["metadata"]["labels"]["hubctl.io/cluster"] == p.cluster


def test_the_rules_fleet_places_as_the_rules_say(tmp_path):
    from hubctl.usecases.render.placement import compute_placements

    fleet = load_fleet(_rules_fleet(tmp_path / "fleet"))  # raises SpecError unless it validates

    placed = {(p.flow, p.cluster) for p in compute_placements(fleet) if p.flow.startswith("edge")}
    assert {c for f, c in placed if f == "edge-gpu"} == {"edge-1", "edge-2", "edge-3", "edge-4", "edge-5"}
    assert {c for f, c in placed if f == "edge-pick"} == {"edge-4", "edge-1", "edge-3"}  # edge-2 full, edge-5 tainted

