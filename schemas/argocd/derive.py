"""Derive JSON Schemas (draft 2020-12) from the Argo CD v3.5.1 CRDs, reproducibly.

    python schemas/argocd/derive.py [--crds DIR] [--out DIR] [--check]

Reads application-crd.yaml, applicationset-crd.yaml and appproject-crd.yaml (argoproj/argo-cd v3.5.1,
commit 109ca7ca71139e514114499d294a492e7910a965, Apache-2.0) and writes one JSON Schema per kind next to
this script. The conversion rules are in README.md; `derive(crd_dir)` returns {file name: text} so a test
can compare the committed files with a fresh derivation. `--check` writes nothing and exits 1 when the
committed files differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE / ".." / ".." / ".." / "shared"  # ../shared beside the repository
DEFAULT_CRDS = Path(os.environ.get("HUBCTL_ARGOCD_CRDS", SHARED / "reference" / "argocd" / "crds"))
ARGO_VERSION = "v3.5.1"
ARGO_COMMIT = "109ca7ca71139e514114499d294a492e7910a965"
CRDS = {  # CRD file -> output file
    "application-crd.yaml": "application-argoproj-v1alpha1.json",
    "applicationset-crd.yaml": "applicationset-argoproj-v1alpha1.json",
    "appproject-crd.yaml": "appproject-argoproj-v1alpha1.json",
}
# Keywords of the CRD's OpenAPI v3 subset that mean the same in JSON Schema 2020-12.
KEPT = ("required", "enum", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
        "minItems", "maxItems", "minProperties", "maxProperties", "multipleOf", "default")
_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
# The API server validates metadata as ObjectMeta; the CRDs only say `type: object`. These are the
# ObjectMeta fields a client may send (k8s.io/apimachinery meta/v1), with unknown fields rejected.
OBJECT_META = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"}, "generateName": {"type": "string"}, "namespace": {"type": "string"},
        "labels": _STRING_MAP, "annotations": _STRING_MAP,
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
        "managedFields": {"type": "array", "items": {"type": "object"}},
        "uid": {"type": "string"}, "resourceVersion": {"type": "string"}, "generation": {"type": "integer"},
        "creationTimestamp": {"type": ["string", "null"]}, "deletionTimestamp": {"type": ["string", "null"]},
        "deletionGracePeriodSeconds": {"type": "integer"}, "selfLink": {"type": "string"},
    },
}


def convert(node: dict) -> dict:
    """One OpenAPI v3 (structural) schema node as JSON Schema; see README.md for each rule."""
    out: dict = {}
    if node.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    elif node.get("x-kubernetes-preserve-unknown-fields") and "type" not in node:
        pass  # any value
    elif "type" in node:
        out["type"] = node["type"]
    if node.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
    for key in KEPT:
        if key in node:
            out[key] = node[key]
    if node.get("nullable") and "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    if "properties" in node:
        out["properties"] = {k: convert(v) for k, v in node["properties"].items()}
    if isinstance(node.get("additionalProperties"), dict):
        out["additionalProperties"] = convert(node["additionalProperties"])
    elif node.get("additionalProperties") is False or (
            "properties" in node and not node.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    if "items" in node:
        out["items"] = convert(node["items"])
    if node.get("x-kubernetes-list-type") == "set":
        out["uniqueItems"] = True
    if "anyOf" in node and not node.get("x-kubernetes-int-or-string"):
        out["anyOf"] = [convert(n) for n in node["anyOf"]]
    return out


def _with_metadata(schema: dict, root: dict) -> dict:
    """Put ObjectMeta on the root `metadata` and pin apiVersion/kind (the API server routes on them)."""
    props = schema["properties"]
    props["metadata"] = OBJECT_META
    props["apiVersion"] = {"type": "string", "const": f"{root['group']}/{root['version']}"}
    props["kind"] = {"type": "string", "const": root["kind"]}
    schema["required"] = sorted({"apiVersion", "kind", *schema.get("required", [])})
    return schema


def derive_one(crd_text: bytes, source_name: str) -> str:
    """The JSON Schema text for one CRD file (its served, stored version)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    crd = yaml.load(crd_text, Loader=loader)
    spec = crd["spec"]
    version = next(v for v in spec["versions"] if v.get("storage"))
    root = {"group": spec["group"], "version": version["name"], "kind": spec["names"]["kind"]}
    schema = _with_metadata(convert(version["schema"]["openAPIV3Schema"]), root)
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://hubctl.io/schemas/argocd/{CRDS[source_name]}",
        "$comment": (f"Derived by schemas/argocd/derive.py from {source_name} of argoproj/argo-cd "
                     f"{ARGO_VERSION} (commit {ARGO_COMMIT}, Apache-2.0), sha256 "
                     f"{hashlib.sha256(crd_text).hexdigest()}. Do not edit."),
        "title": f"{root['kind']} {root['group']}/{root['version']}",
        **schema,
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def derive(crd_dir: Path = DEFAULT_CRDS) -> dict[str, str]:
    """{output file name: JSON text} for every CRD in `crd_dir`."""
    return {out: derive_one((Path(crd_dir) / src).read_bytes(), src) for src, out in CRDS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crds", type=Path, default=DEFAULT_CRDS)
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when stale")
    args = parser.parse_args(argv)
    stale = []
    for name, text in derive(args.crds).items():
        path = args.out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    for name in stale:
        sys.stdout.write(f"{'stale' if args.check else 'wrote'}: {name}\n")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
