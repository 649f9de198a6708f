"""What specs that exist but could not be loaded declare, so that a broken spec is reported once.

A flow whose file does not parse still exists: a cordon that keeps it, a cluster dedicated to its space or
a reference to it is not wrong, and "the placement selects no cluster" may only follow from a cluster
whose file is broken. The loader records here, as (kind, name) pairs, the names such specs declare (from
their data when it parsed, else from their text), and for clusters the environment, region and provider
they declare (as ("env", value), ...); checks consult it before reporting a reference or a conclusion.
("Hub", "*") means the hub spec could not be read: its defaults and grants are unknown.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from hubctl.base.constants import BLUEPRINT_FILE, BLUEPRINTS_DIR, HUB_FILE, KINDS, SPEC_DIRS

HUB = ("Hub", "*")
_CLUSTER_FACTS = {"environment": "env", "region": "region", "provider": "provider"}
# [ \t]*, never \s*: a run of blank lines must not make a line's match scan all the lines after it
_KIND_LINE = re.compile(r"^kind:[ \t]*['\"]?([A-Za-z]+)", re.M)
_FIELD_LINE = re.compile(r"^[ \t]*(name|environment|region|provider):[ \t]*['\"]?([A-Za-z0-9][-A-Za-z0-9_.]*)",
                         re.M)


def kind_of_path(rel: str) -> str | None:
    """The kind a file's place implies: clusters/ holds clusters, ...; None for hubctl.yaml (any kind)."""
    parts = PurePosixPath(rel).parts
    if rel == HUB_FILE or not parts:
        return None
    if parts[0] == BLUEPRINTS_DIR and len(parts) == 3 and parts[2] == BLUEPRINT_FILE:
        return "Blueprint"
    return next((kind for kind, top in SPEC_DIRS.items() if parts[0] == top), None)


def _names_of(rel: str, kind: str | None) -> set[tuple[str, str]]:
    """The names a file's path declares: its stem (or a blueprint's directory), for its kind(s)."""
    parts = PurePosixPath(rel).parts
    name = parts[1] if kind == "Blueprint" else PurePosixPath(rel).stem
    if rel == HUB_FILE:
        return {HUB}
    return {(k, name) for k in ([kind] if kind else KINDS)}


def declared_by_text(rel: str, text: str) -> set[tuple[str, str]]:
    """What an unparsable file declares, read generously from its lines (one chunk per `---` document)."""
    out = _names_of(rel, kind_of_path(rel))
    for chunk in re.split(r"^---", text, flags=re.M):
        found = _KIND_LINE.search(chunk)
        kind = found.group(1) if found and found.group(1) in KINDS else kind_of_path(rel)
        kinds = [kind] if kind else list(KINDS)
        for key, value in _FIELD_LINE.findall(chunk):
            if key == "name":
                out |= {(k, value) for k in kinds}
            elif "Cluster" in kinds:
                out.add((_CLUSTER_FACTS[key], value))
        if kind == "Hub" or rel == HUB_FILE and "Hub" in chunk:
            out.add(HUB)
    return out


def declared_by_data(rel: str, data, kind: str | None) -> set[tuple[str, str]]:
    """What a document that parsed but failed its kind, apiVersion or schema declares."""
    kind = kind or kind_of_path(rel)
    out = _names_of(rel, kind)
    if not isinstance(data, dict):
        return out
    kinds = [kind] if kind else list(KINDS)
    if "Hub" in kinds:
        out.add(HUB)
    meta, spec = data.get("metadata"), data.get("spec")
    if isinstance(meta, dict) and isinstance(meta.get("name"), str):
        out |= {(k, meta["name"]) for k in kinds}
    if "Cluster" in kinds and isinstance(spec, dict):
        out |= {(fact, spec[key]) for key, fact in _CLUSTER_FACTS.items() if isinstance(spec.get(key), str)}
    return out


def any_of(unresolved, kind: str) -> bool:
    """Whether some spec of `kind` could not be loaded."""
    return any(k == kind for k, _ in unresolved)


# The parts of a spec that checks of other specs read (placement, a flow's namespace, params and source
# repositories, grants). A document that failed its schema only in other parts is built without them
# (spec/salvage.py) and leaves no doubt elsewhere.
_READ_BY_OTHERS = {
    "Cluster": (("metadata", "labels"), ("spec", "environment"), ("spec", "region"), ("spec", "provider"),
                ("spec", "dedicatedTo"), ("spec", "cordon")),
    "Space": (("spec", "namespaces"), ("spec", "clusters"), ("spec", "params"), ("spec", "sourceRepos")),
    # spec.clusters, standby and repo: which hub manages which cluster and where each renders (spec/hubs.py)
    "Hub": (("spec", "defaults"), ("spec", "tenancy"), ("spec", "argocd"), ("spec", "clusters"), ("spec", "standby"),
            ("spec", "repo"), ("spec", "deploy")),
    "Blueprint": ((),),
    "Flow": (),  # its own checks skip what it lost; other specs read only its name
}


def others_read(kind: str, path: tuple) -> bool:
    """Whether checks of other specs read the part of a `kind` spec at `path`."""
    return any(path[:len(part)] == part for part in _READ_BY_OTHERS.get(kind, ((),)))
