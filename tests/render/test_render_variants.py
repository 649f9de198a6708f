"""The shared-variant layout (Hub spec.render.layout: variants): each distinct rendered variant of a flow is
written once under variants/<space>/<flow>/<hash>/, and every cluster's Application points there and gets
its cluster label from Argo CD's kustomize (labelWithoutSelector). A space's files are shared the same way:
each distinct variant once under variants/<space>/spaces/<hash>/, and each spoke's spaces directory holds one
kustomization.yaml naming its spaces' variants and its cluster label. What each cluster receives must be
exactly what the per-cluster layout renders for it: the spaces are built with real kustomize (kubectl's)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support.golden import check_tree
from support.tree import write

from hubctl.engines.appset import expand, secret_from_registration
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fleet"
LAYOUT = "  render:\n    layout: variants\n"
KUBECTL = shutil.which("kubectl")
needs_kustomize = pytest.mark.skipif(KUBECTL is None, reason="builds with kubectl's kustomize")


def variants_fleet(root: Path) -> Path:
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("rendered"))
    hub = root / "hubctl.yaml"
    hub.write_text(hub.read_text() + LAYOUT)
    return root


def docs(data: bytes) -> list[dict]:
    return [d for d in yaml.safe_load_all(data) if d is not None]


def applications(files) -> dict[str, dict]:
    secrets = [secret_from_registration(d) for p, data in files.items() if p.startswith("hub/clusters/")
               for d in docs(data)]
    apps = {}
    for path, data in files.items():
        if path.startswith("hub/applicationsets/") and not path.endswith("/hubctl-spaces.yaml"):
            (appset,) = docs(data)
            apps.update({a["metadata"]["name"]: a for a in expand(appset, clusters=secrets)})
    return apps


def as_argocd_applies(files, app: dict, repo_path: str) -> list[dict]:
    """The objects Argo CD applies for `app`: the variant's manifests with the Application's kustomize labels
    added to each object's metadata (labelWithoutSelector: not to selectors or templates)."""
    source = app["spec"]["source"]
    rel = source["path"].removeprefix(repo_path + "/")
    kustomization = docs(files[f"{rel}/kustomization.yaml"])[0]
    assert kustomization["resources"] == ["manifests.yaml"]
    assert source["kustomize"]["labelWithoutSelector"] is True
    out = docs(files[f"{rel}/manifests.yaml"])
    for obj in out:
        obj["metadata"]["labels"].update(source["kustomize"]["commonLabels"])
    return out


def kustomize(files, root: Path, directory: str) -> list[dict]:
    """`kubectl kustomize` of `directory` of the render `files` written under `root` (real kustomize, as Argo
    CD's repo-server runs it on the Application's path)."""
    if not root.exists():
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
    built = subprocess.run([KUBECTL, "kustomize", str(root / directory)], capture_output=True, check=True,
                           env={"PATH": "/usr/bin:/bin", "KUBECONFIG": "/dev/null", "HOME": str(root)})
    return docs(built.stdout)


def identity(doc: dict) -> tuple:
    meta = doc["metadata"]
    return doc["apiVersion"], doc["kind"], meta.get("namespace", ""), meta["name"]


def space_objects_per_cluster(files) -> dict[str, list[dict]]:
    """cluster -> the objects of its spaces in the per-cluster layout (spokes/<cluster>/spaces/<space>.yaml)."""
    out: dict[str, list[dict]] = {}
    for rel, data in files.items():
        parts = rel.split("/")
        if parts[0] == "spokes" and parts[2] == "spaces":
            out.setdefault(parts[1], []).extend(docs(data))
    return {cluster: sorted(objs, key=identity) for cluster, objs in out.items()}


def spaces_applications(files) -> dict[str, dict]:
    """cluster -> its spaces Application, as Argo CD generates it from the hubctl-spaces ApplicationSet."""
    secrets = [secret_from_registration(d) for p, data in files.items() if p.startswith("hub/clusters/")
               for d in docs(data)]
    (appset,) = docs(files["hub/applicationsets/hubctl-spaces.yaml"])
    return {a["spec"]["destination"]["name"]: a for a in expand(appset, clusters=secrets)}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = variants_fleet(tmp_path_factory.mktemp("variants") / "fleet")
    variants = render_fleet(load_fleet(root))
    per_cluster = render_fleet(load_fleet(EXAMPLE))
    return load_fleet(root), variants, per_cluster


def test_example_fleet_in_the_variant_layout_matches_golden(both, update_golden):
    _, variants, _ = both
    check_tree("examples-fleet-variants", variants.files, update_golden)


def test_every_cluster_receives_exactly_what_the_per_cluster_layout_renders(both):
    fleet, variants, per_cluster = both
    apps = applications(variants.files)
    checked = 0
    for p in variants.placements:
        if fleet.flows[p.flow].blueprint is None:
            continue
        expected = docs(per_cluster.files[f"spokes/{p.cluster}/flows/{p.space}/{p.flow}/manifests.yaml"])
        assert as_argocd_applies(variants.files, apps[p.app_name], fleet.hub.repo_path) == expected, p
        checked += 1
    assert checked > 10


def test_variants_are_shared_and_no_flow_manifests_stay_per_cluster(both):
    fleet, variants, _ = both
    flow_dirs = {p.rsplit("/", 1)[0] for p in variants.files if p.startswith("variants/")}
    placed = [p for p in variants.placements if fleet.flows[p.flow].blueprint is not None]
    assert len(flow_dirs) < len(placed)  # several clusters share a variant
    assert not [p for p in variants.files if p.startswith("spokes/") and "/flows/" in p]
    assert all(len(d.split("/")) == 4 for d in flow_dirs)  # variants/<space>/<flow>/<hash>


@needs_kustomize
def test_every_cluster_receives_exactly_the_space_objects_of_the_per_cluster_layout(both, tmp_path):
    fleet, variants, per_cluster = both
    expected = space_objects_per_cluster(per_cluster.files)
    apps = spaces_applications(variants.files)
    assert sorted(apps) == sorted(expected) and len(expected) > 5
    for cluster, objects in expected.items():
        source = apps[cluster]["spec"]["source"]
        assert set(source) == {"repoURL", "targetRevision", "path"}  # a plain directory: kustomize finds it
        directory = source["path"].removeprefix(fleet.hub.repo_path + "/")
        assert sorted(kustomize(variants.files, tmp_path / "out", directory), key=identity) == objects, cluster


def test_space_files_are_shared_once_per_variant_and_each_spoke_holds_one_kustomization(both):
    fleet, variants, per_cluster = both
    space_dirs = {p.rsplit("/", 1)[0] for p in variants.files if p.startswith("variants/") and "/spaces/" in p}
    placed = {p.split("/")[3].removesuffix(".yaml") for p in per_cluster.files if "/spaces/" in p}
    assert sorted(d.split("/")[1] for d in space_dirs) == sorted(placed)  # one variant per space here
    spoke_files = sorted(p for p in variants.files if p.startswith("spokes/"))
    clusters = sorted({p.split("/")[1] for p in per_cluster.files if p.startswith("spokes/")})
    assert spoke_files == [f"spokes/{c}/spaces/kustomization.yaml" for c in clusters]
    for directory in space_dirs:
        assert sorted(p for p in variants.files if p.startswith(directory + "/")) == \
            [f"{directory}/kustomization.yaml", f"{directory}/manifests.yaml"]
        assert b"hubctl.io/cluster" not in variants.files[f"{directory}/manifests.yaml"]


@needs_kustomize
def test_a_cluster_name_yaml_would_read_as_a_number_keeps_its_label_a_string(tmp_path):
    root = variants_fleet(tmp_path / "fleet")
    text = (root / "clusters/dev-eu-1.yaml").read_text()
    text = text.replace("name: dev-eu-1", "name: '1e3'").replace("clusterName: dev-eu-1", "clusterName: '1e3'")
    write(root, "clusters/1e3.yaml", text.replace("dev-eu-1", "1e3"))
    render = render_fleet(load_fleet(root))
    expected = space_objects_per_cluster(render.by_cluster)["1e3"]
    built = sorted(kustomize(render.files, tmp_path / "out", "spokes/1e3/spaces"), key=identity)
    assert built == expected
    assert {obj["metadata"]["labels"]["hubctl.io/cluster"] for obj in built} == {"1e3"}


def test_the_per_cluster_view_for_review_is_the_per_cluster_layout(both):
    _, variants, per_cluster = both
    spokes = {p: d for p, d in per_cluster.files.items() if p.startswith("spokes/")}
    assert dict(variants.by_cluster) == spokes


def test_a_template_reading_the_cluster_gets_one_variant_per_cluster(tmp_path):
    root = variants_fleet(tmp_path / "fleet")
    write(root, "blueprints/per-cluster/blueprint.yaml", """\
apiVersion: hubctl.io/v1alpha1
kind: Blueprint
metadata:
  name: per-cluster
spec:
  schema: {type: object, additionalProperties: false, properties: {}}
""")
    write(root, "blueprints/per-cluster/templates/cm.yaml", """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: where
data:
  cluster: ${{ cluster.name }}
""")
    write(root, "flows/where.yaml", """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: where
spec:
  space: storefront
  blueprint: per-cluster
  placement:
    selector:
      matchExpressions:
      - {key: env, operator: In, values: [staging, prod]}
""")
    fleet = load_fleet(root)
    render = render_fleet(fleet)
    apps = applications(render.files)
    placed = [p for p in render.placements if p.flow == "where"]
    paths = {apps[p.app_name]["spec"]["source"]["path"] for p in placed}
    assert len(paths) == len(placed) > 1
    for p in placed:
        (obj,) = as_argocd_applies(render.files, apps[p.app_name], fleet.hub.repo_path)
        assert obj["data"] == {"cluster": p.cluster}
        assert obj["metadata"]["labels"]["hubctl.io/cluster"] == p.cluster


def test_the_variant_layout_is_deterministic(tmp_path):
    one = render_fleet(load_fleet(variants_fleet(tmp_path / "a"))).files
    two = render_fleet(load_fleet(variants_fleet(tmp_path / "b"))).files
    assert list(one) == list(two)
    assert all(one[p] == two[p] for p in one)


def test_an_unknown_layout_is_refused_with_its_location(tmp_path, hubctl):
    root = variants_fleet(tmp_path / "fleet")
    hub = root / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("layout: variants", "layout: shared"))
    result = hubctl("validate", "-C", root)
    assert result.code == 3
    assert "hubctl.yaml:34:5: spec.render.layout: `shared` is not allowed here; expected `files`, `variants`" \
        in result.out
    assert "Traceback" not in result.out + result.err


def test_render_writes_the_variant_layout_and_switching_back_removes_it(tmp_path, hubctl):
    root = variants_fleet(tmp_path / "fleet")
    assert hubctl("render", "-C", root).code == 0
    out = root / "rendered"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(render_fleet(load_fleet(root)).files)
    assert not list(out.glob("spokes/*/flows"))
    assert hubctl("render", "-C", root, "--check").code == 0
    hub = root / "hubctl.yaml"
    hub.write_text(hub.read_text().replace(LAYOUT, ""))
    assert hubctl("render", "-C", root, "--check").code == 4
    assert hubctl("render", "-C", root).code == 0
    assert not (out / "variants").exists()
    assert list(out.glob("spokes/*/flows/*/*/manifests.yaml"))


def test_placement_is_per_cluster_and_the_same_in_both_layouts(tmp_path, hubctl):
    root = variants_fleet(tmp_path / "fleet")
    variants = hubctl("placement", "-C", root, "-o", "json")
    files = hubctl("placement", "-C", EXAMPLE, "-o", "json")
    assert variants.code == files.code == 0, variants.err
    assert variants.out == files.out
    assert '"cluster": "prod-eu-1"' in variants.out
