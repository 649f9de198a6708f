"""Offline schema validation for rendered objects, validators built once per kind.

- Core Kubernetes kinds: the strict (no unknown fields) OpenAPI-derived JSON Schemas that the
  kubernetes-validate package ships, for one Kubernetes version (KUBE_VERSION).
  `kubernetes_validate.validate()` rebuilds the registry and the validator on every call (about 20 ms a
  document); here the shared `_definitions.json` is loaded once and a validator is cached per kind.
- Argo CD kinds (argoproj.io/v1alpha1): the JSON Schemas in schemas/argocd/, derived from the v3.5.1
  CRDs by schemas/argocd/derive.py.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARGOCD_SCHEMAS = ROOT / "schemas" / "argocd"
KUBE_VERSION = "1.32"
ARGO_KINDS = {"Application", "ApplicationSet", "AppProject"}


class SchemaMissing(LookupError):
    """No schema ships for this apiVersion/kind."""


def _schema_dir(strict: bool = True) -> Path:
    from importlib.resources import files

    base = Path(str(files("kubernetes_validate").joinpath("kubernetes-json-schema")))
    suffix = "-local-strict" if strict else "-local"
    path = base / f"v{KUBE_VERSION}.0{suffix}"
    if not path.is_dir():
        raise SchemaMissing(f"kubernetes-validate ships no schemas for {KUBE_VERSION} ({path})")
    return path


def shipped_versions() -> list[str]:
    """The Kubernetes versions whose strict schemas kubernetes-validate ships (e.g. ['1.25', ...])."""
    base = _schema_dir().parent
    found = {m.group(1) for p in base.iterdir() if (m := re.match(r"^v(\d+\.\d+)\.0-local-strict$", p.name))}
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


@lru_cache(maxsize=1)
def _registry():
    from referencing import Registry, Resource

    defs = json.loads((_schema_dir() / "_definitions.json").read_text())
    return Resource.from_contents(defs) @ Registry()


def _file_for(api_version: str, kind: str) -> str:
    """kubernetes-validate's file name: rbac.authorization.k8s.io/v1 + RoleBinding -> rolebinding-rbac-v1."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{group_version}.json"


@cache
def kube_validator(api_version: str, kind: str):
    """A Draft 2020-12 validator for one core kind (strict: unknown fields are errors).

    Raises:
        SchemaMissing: the package ships no schema for this apiVersion/kind.
    """
    from jsonschema import Draft202012Validator

    path = _schema_dir() / _file_for(api_version, kind)
    if not path.exists():
        raise SchemaMissing(f"no Kubernetes {KUBE_VERSION} schema for {api_version} {kind}")
    schema = json.loads(path.read_text())
    return Draft202012Validator(schema, registry=_registry())


@cache
def argo_validator(kind: str):
    """A validator for an Argo CD kind from the derived CRD schemas in schemas/argocd/.

    Raises:
        SchemaMissing: `kind` is not an Argo CD kind hubctl ships a schema for.
    """
    from jsonschema import Draft202012Validator

    if kind not in ARGO_KINDS:
        raise SchemaMissing(f"no Argo CD schema for {kind}")
    schema = json.loads((ARGOCD_SCHEMAS / f"{kind.lower()}-argoproj-v1alpha1.json").read_text())
    return Draft202012Validator(schema)  # test_conformance.py checks the schema itself once


def validator_for(doc: dict):
    """The validator for a rendered document, by apiVersion and kind.

    Raises:
        SchemaMissing: neither Kubernetes nor the Argo CD schemas cover it.
    """
    api_version, kind = doc.get("apiVersion", ""), doc.get("kind", "")
    if api_version == "argoproj.io/v1alpha1":
        return argo_validator(kind)
    return kube_validator(api_version, kind)


def errors(doc: dict) -> list[str]:
    """Every schema error of `doc` as 'path: message' (empty when valid).

    Raises:
        SchemaMissing: no schema covers the document's kind.
    """
    found = sorted(validator_for(doc).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}" for e in found]


# --- Rendered fleets, as the conformance and invariant tests read them ---------------------------------

FLEETGEN_ARGS = ("--clusters", "60", "--spaces", "6", "--flows", "40")


def split_documents(text: str) -> list[str]:
    """The YAML documents of a rendered file, split on '---' lines (the header comment stays with the first)."""
    chunks, current = [], []
    for line in text.split("\n"):
        if line == "---":
            chunks.append("\n".join(current) + "\n")
            current = []
        else:
            current.append(line)
    chunks.append("\n".join(current))
    return chunks


def load_render(files: dict[str, bytes]) -> dict[str, list[dict]]:
    """{path: [documents]} for a Render's files, parsed with PyYAML's safe loader (YAML 1.1, libyaml when built)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return {path: [yaml.load(chunk, Loader=loader) for chunk in split_documents(data.decode("utf-8"))]
            for path, data in files.items()}


def fleetgen(out: Path) -> Path:
    """A synthetic fleet written to `out` by benchmarks/fleetgen.py with FLEETGEN_ARGS."""
    return generate(out)


def generate(out: Path) -> Path:
    """Run benchmarks/fleetgen.py exactly as documented (no fix-ups)."""
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fleetgen.py"), str(out), *FLEETGEN_ARGS],
                   check=True, capture_output=True)
    return out
