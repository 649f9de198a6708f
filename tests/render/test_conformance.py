"""Schema conformance of the render: every object is what Kubernetes and Argo CD accept.

- Core kinds against Kubernetes' own OpenAPI schemas (kubernetes-validate, strict: no unknown fields).
- Argo CD kinds against JSON Schemas derived from the v3.5.1 CRDs (schemas/argocd/, derive.py).
- ExternalSecret (external-secrets.io/v1, no CRD here) by hand-written shape checks.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from pathlib import Path

import pytest
from support import k8s_schemas as ks

from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

ROOT = Path(__file__).resolve().parents[2]
CRDS = ROOT / ".." / "shared" / "reference" / "argocd" / "crds"  # ../shared beside the repository
REFERENCE = CRDS.parent
ESO_API = "external-secrets.io/v1"
EXPECTED_KINDS = {"Namespace", "ResourceQuota", "LimitRange", "RoleBinding", "NetworkPolicy", "Deployment",
                  "Service", "Ingress", "PodDisruptionBudget", "CronJob", "Secret", "Application",
                  "ApplicationSet", "AppProject", "ExternalSecret"}


@pytest.fixture(scope="module")
def example_docs():
    return ks.load_render(render_fleet(load_fleet(ROOT / "examples" / "fleet")).files)


@pytest.fixture(scope="module")
def fleetgen_docs(tmp_path_factory):
    fleet = ks.fleetgen(tmp_path_factory.mktemp("fleetgen") / "fleet")
    return ks.load_render(render_fleet(load_fleet(fleet)).files)


def _all(docs: dict[str, list[dict]]):
    for path, items in docs.items():
        for index, doc in enumerate(items):
            yield f"{path}#{index}", doc


def _schema_failures(docs) -> list[str]:
    failures = []
    for where, doc in _all(docs):
        if doc.get("kind") == "ExternalSecret":
            continue
        failures += [f"{where} {doc['kind']}/{doc['metadata']['name']}: {e}" for e in ks.errors(doc)]
    return failures


# --- Kubernetes and Argo CD schemas ------------------------------------------------------------------

def test_kubernetes_validate_ships_the_chosen_version():
    assert ks.KUBE_VERSION in ks.shipped_versions()


def test_example_render_covers_every_kind_the_conformance_is_about(example_docs):
    kinds = {doc["kind"] for _, doc in _all(example_docs)}
    assert kinds == EXPECTED_KINDS


def test_every_example_object_matches_its_schema(example_docs):
    assert _schema_failures(example_docs) == []


def test_every_fleetgen_object_matches_its_schema(fleetgen_docs):
    assert _schema_failures(fleetgen_docs) == []


def test_every_rendered_kind_has_a_schema(example_docs, fleetgen_docs):
    missing = set()
    for docs in (example_docs, fleetgen_docs):
        for _, doc in _all(docs):
            if doc["kind"] != "ExternalSecret":
                try:
                    ks.validator_for(doc)
                except ks.SchemaMissing:
                    missing.add((doc["apiVersion"], doc["kind"]))
    assert missing == set()


def _deployment(docs) -> dict:
    return next(doc for _, doc in _all(docs) if doc["kind"] == "Deployment")


def test_kubernetes_strict_schema_rejects_unknown_and_mistyped_fields(example_docs):
    deployment = _deployment(example_docs)
    assert ks.errors(deployment) == []
    typo = copy.deepcopy(deployment)
    typo["spec"]["replica"] = 2
    assert any("replica" in e for e in ks.errors(typo))
    nested = copy.deepcopy(deployment)
    nested["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy2"] = "Always"
    assert ks.errors(nested)
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["replicas"] = "2"
    assert ks.errors(wrong_type)


def test_argo_schemas_reject_typos_and_accept_int_or_string(example_docs):
    appset = next(doc for _, doc in _all(example_docs)
                  if doc["kind"] == "ApplicationSet" and doc["spec"].get("strategy"))
    assert ks.errors(appset) == []
    typo = copy.deepcopy(appset)
    typo["spec"]["template"]["spec"]["destination"]["namespce"] = "x"
    assert any("namespce" in e for e in ks.errors(typo))
    top = copy.deepcopy(appset)
    top["spec"]["goTemplateOption"] = ["missingkey=error"]
    assert ks.errors(top)
    meta = copy.deepcopy(appset)
    meta["metadata"]["label"] = {}
    assert ks.errors(meta)
    steps = appset["spec"]["strategy"]["rollingSync"]["steps"]
    for value, ok in ((1, True), ("25%", True), (1.5, False), (True, False)):
        variant = copy.deepcopy(appset)
        variant["spec"]["strategy"]["rollingSync"]["steps"][len(steps) - 1]["maxUpdate"] = value
        assert (ks.errors(variant) == []) is ok, value


def test_argo_schemas_keep_preserve_unknown_fields_open(example_docs):
    appset = next(doc for _, doc in _all(example_docs) if doc["kind"] == "ApplicationSet")
    variant = copy.deepcopy(appset)
    variant["spec"]["generators"] = [{"list": {"elements": [{"any": {"shape": [1, "x"]}, "name": "a"}]}}]
    assert ks.errors(variant) == []
    root = next(doc for _, doc in _all(example_docs) if doc["kind"] == "Application")
    helm = copy.deepcopy(root)
    helm["spec"]["source"] = {"repoURL": "https://charts.example.com", "chart": "c", "targetRevision": "1.0.0",
                              "helm": {"valuesObject": {"free": {"form": True}}}}
    assert ks.errors(helm) == []


JSON_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}
SCHEMA_KEYWORDS = {"$schema", "$id", "$comment", "title", "type", "properties", "additionalProperties", "items",
                   "required", "enum", "const", "pattern", "format", "minLength", "maxLength", "minimum",
                   "maximum", "minItems", "maxItems", "uniqueItems", "anyOf", "default", "minProperties",
                   "maxProperties", "multipleOf"}


def _schema_shape_problems(node, path="#") -> list[str]:
    """A fast meta-check (Draft202012Validator.check_schema takes ~10 s on the ApplicationSet schema)."""
    if not isinstance(node, dict):
        return [f"{path}: not a schema object"]
    problems = [f"{path}: unknown keyword {k}" for k in node if k not in SCHEMA_KEYWORDS]
    types = node.get("type", [])
    if any(t not in JSON_TYPES for t in (types if isinstance(types, list) else [types])):
        problems.append(f"{path}: type {types}")
    for key, sub in (node.get("properties") or {}).items():
        problems += _schema_shape_problems(sub, f"{path}/properties/{key}")
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            problems += _schema_shape_problems(node[key], f"{path}/{key}")
    for i, sub in enumerate(node.get("anyOf", [])):
        problems += _schema_shape_problems(sub, f"{path}/anyOf/{i}")
    return problems


def test_argo_schemas_are_well_formed_json_schema():
    from jsonschema import Draft202012Validator

    for kind in sorted(ks.ARGO_KINDS):
        schema = json.loads((ks.ARGOCD_SCHEMAS / f"{kind.lower()}-argoproj-v1alpha1.json").read_text())
        assert _schema_shape_problems(schema) == [], kind
        if kind == "AppProject":  # small enough for the full meta-schema check
            Draft202012Validator.check_schema(schema)
        assert schema["properties"]["kind"]["const"] == kind
        assert "109ca7ca71139e514114499d294a492e7910a965" in schema["$comment"]
    assert _schema_shape_problems({"type": "strng", "propertie": {}})


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="Argo CD reference samples not on this machine")
def test_argo_reference_samples_pass_the_derived_schemas():
    """The samples beside the CRDs pass the CRD schemas (NOTES.md), so they must pass ours: not too strict."""
    import yaml

    checked = 0
    for path in sorted(REFERENCE.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict) and doc.get("kind") in ks.ARGO_KINDS:
                assert ks.errors(doc) == [], path.name
                checked += 1
    assert checked >= 5


def _derive_module():
    spec = importlib.util.spec_from_file_location("argocd_derive", ks.ARGOCD_SCHEMAS / "derive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not CRDS.is_dir(), reason="Argo CD v3.5.1 CRDs not on this machine")
def test_committed_argo_schemas_equal_a_fresh_derivation():
    derived = _derive_module().derive(CRDS)
    committed = {p.name: p.read_text(encoding="utf-8") for p in ks.ARGOCD_SCHEMAS.glob("*.json")}
    assert sorted(derived) == sorted(committed)
    stale = [name for name in derived if derived[name] != committed[name]]
    assert stale == [], "run: python schemas/argocd/derive.py"


def test_derivation_rules():
    convert = _derive_module().convert
    assert convert({"anyOf": [{"type": "integer"}, {"type": "string"}], "x-kubernetes-int-or-string": True}) == {
        "type": ["integer", "string"]}
    assert convert({"type": "object", "properties": {"a": {"type": "string"}}}) == {
        "type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    assert convert({"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                    "properties": {"a": {"type": "string"}}}) == {
        "type": "object", "properties": {"a": {"type": "string"}}}
    assert convert({"x-kubernetes-preserve-unknown-fields": True}) == {}
    assert convert({"type": "string", "nullable": True, "enum": ["a"]}) == {"type": ["string", "null"],
                                                                          "enum": ["a", None]}
    assert convert({"type": "object", "additionalProperties": {"type": "string"}}) == {
        "type": "object", "additionalProperties": {"type": "string"}}
    assert convert({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"}) == {
        "type": "array", "items": {"type": "string"}, "uniqueItems": True}


# --- ExternalSecret (external-secrets.io/v1): no CRD here, so the shape by hand -------------------------

ESO_SPEC_KEYS = {"refreshInterval", "secretStoreRef", "target", "data", "dataFrom", "refreshPolicy"}
ESO_TARGET_KEYS = {"name", "creationPolicy", "deletionPolicy", "template", "immutable"}
ESO_TEMPLATE_KEYS = {"type", "engineVersion", "metadata", "data", "templateFrom", "mergePolicy"}
ESO_REMOTE_REF_KEYS = {"key", "property", "version", "metadataPolicy", "conversionStrategy", "decodingStrategy"}
CLUSTER_SECRET_KEYS = {"name", "server", "config", "namespaces", "clusterResources", "project", "shard"}
DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
TEMPLATE_REF = re.compile(r"\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}")


def _external_secrets(docs):
    return [(where, doc) for where, doc in _all(docs) if doc["kind"] == "ExternalSecret"]


def external_secret_problems(doc: dict, argocd_namespace: str = "argocd") -> list[str]:
    """What is wrong with a cluster-registration ExternalSecret (empty when its shape is right)."""
    problems = []
    meta, spec = doc.get("metadata", {}), doc.get("spec", {})
    if doc.get("apiVersion") != ESO_API:
        problems.append(f"apiVersion {doc.get('apiVersion')}")
    if meta.get("namespace") != argocd_namespace:
        problems.append("not in the Argo CD namespace")
    if set(spec) - ESO_SPEC_KEYS:
        problems.append(f"unknown spec keys {sorted(set(spec) - ESO_SPEC_KEYS)}")
    if not DURATION.match(str(spec.get("refreshInterval", "1h"))):
        problems.append("refreshInterval is not a Go duration")
    store = spec.get("secretStoreRef") or {}
    if set(store) - {"name", "kind"} or not store.get("name") or store.get("kind") not in (
            "SecretStore", "ClusterSecretStore"):
        problems.append(f"secretStoreRef {store}")
    target = spec.get("target") or {}
    if set(target) - ESO_TARGET_KEYS or not target.get("name"):
        problems.append(f"target {sorted(target)}")
    if target.get("creationPolicy", "Owner") not in ("Owner", "Orphan", "Merge", "None"):
        problems.append("creationPolicy")
    template = target.get("template") or {}
    if set(template) - ESO_TEMPLATE_KEYS:
        problems.append(f"template keys {sorted(set(template) - ESO_TEMPLATE_KEYS)}")
    tmeta = template.get("metadata") or {}
    if set(tmeta) - {"labels", "annotations", "finalizers"}:
        problems.append("template.metadata keys")
    if (tmeta.get("labels") or {}).get("argocd.argoproj.io/secret-type") != "cluster":
        problems.append("the produced Secret is not labelled as an Argo CD cluster")
    tdata = template.get("data") or {}
    if set(tdata) - CLUSTER_SECRET_KEYS or not {"name", "server", "config"} <= set(tdata):
        problems.append(f"template.data keys {sorted(tdata)}")
    if not all(isinstance(v, str) for v in tdata.values()):
        problems.append("template.data values must be strings")
    data = spec.get("data") or []
    keys = set()
    for item in data:
        ref = item.get("remoteRef") or {}
        if set(item) - {"secretKey", "remoteRef", "sourceRef"} or not item.get("secretKey"):
            problems.append(f"data item {sorted(item)}")
        if set(ref) - ESO_REMOTE_REF_KEYS or not ref.get("key"):
            problems.append(f"remoteRef {sorted(ref)}")
        keys.add(item.get("secretKey"))
    used = {m for value in tdata.values() for m in TEMPLATE_REF.findall(str(value))}
    if used - keys:
        problems.append(f"template reads {sorted(used - keys)} that no data[].secretKey provides")
    if "config" not in used:
        problems.append("config does not come from the secret store")
    return problems


def test_example_has_external_secret_registrations(example_docs):
    assert len(_external_secrets(example_docs)) == 2


def test_external_secret_registrations_have_the_eso_v1_shape(example_docs):
    for where, doc in _external_secrets(example_docs):
        assert external_secret_problems(doc) == [], where
        cluster = where.split("/")[-1].split(".yaml")[0]
        assert doc["spec"]["target"]["name"] == f"cluster-{cluster}"
        assert doc["spec"]["target"]["template"]["data"]["name"] == cluster


def test_external_secret_shape_check_can_fail(example_docs):
    _, doc = _external_secrets(example_docs)[0]
    cases = [
        lambda d: d["spec"]["secretStoreRef"].pop("name"),
        lambda d: d["spec"]["secretStoreRef"].update(kind="Store"),
        lambda d: d["spec"]["target"]["template"]["data"].update(config="{{ .cfg }}"),
        lambda d: d["spec"]["data"][0]["remoteRef"].update(keyy="x"),
        lambda d: d["spec"]["target"]["template"]["metadata"]["labels"].pop("argocd.argoproj.io/secret-type"),
        lambda d: d.update(apiVersion="external-secrets.io/v1beta1"),
    ]
    for change in cases:
        broken = copy.deepcopy(doc)
        change(broken)
        assert external_secret_problems(broken)
