"""Hub changes: ApplicationSets, AppProjects and cluster registrations added, removed or changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from hubctl.base.constants import SPACES_APPSET
from hubctl.usecases.review.manifests import changed_paths
from hubctl.usecases.review.textdiff import counts, unified

KINDS = {"applicationsets": "ApplicationSet", "projects": "AppProject", "clusters": "Cluster"}
ORDER = ("AppProject", "Cluster", "ApplicationSet", "Application")


@dataclass(frozen=True)
class HubChange:
    """One hub file that changed. `kind` is ApplicationSet, AppProject, Cluster (a registration) or
    Application (the root app-of-apps)."""

    kind: str
    name: str
    change: str  # added | removed | changed
    path: str
    diff: str
    added: int
    removed: int


def hub_changes(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> list[HubChange]:
    """Every changed file under hub/, sorted by kind (AppProjects first) and name."""
    out = []
    for path in changed_paths(old, new, "hub/"):
        parts = path.split("/")
        kind = KINDS.get(parts[1], "Application") if len(parts) in (3, 4) else "Application"
        name = parts[-1].removesuffix(".yaml")
        if len(parts) == 4:  # several hubs (hubctl.usecases.review.hubtrees): hub/<kind>/<hub>/<name>.yaml
            name = f"{parts[2]} on hub {name}" if parts[2] == SPACES_APPSET else f"{name} on hub {parts[2]}"
        elif len(parts) == 3 and parts[1] not in KINDS:  # hub/<hub>/root.yaml
            name = f"{name} on hub {parts[1]}"
        before, after = old.get(path), new.get(path)
        change = "added" if before is None else "removed" if after is None else "changed"
        diff = unified(before, after, path)
        out.append(HubChange(kind, name, change, path, diff, *counts(diff)))
    return sorted(out, key=lambda c: (ORDER.index(c.kind), c.name))


@lru_cache(maxsize=2048)
def documents(data: bytes) -> tuple:
    """The YAML documents of a rendered file (plain data), parsed once per distinct content."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    return tuple(doc for doc in yaml.load_all(data) if isinstance(doc, dict))


def first_document(data: bytes | None, kind: str) -> dict:
    """The first document of `kind` in `data` ({} when there is none or data is None)."""
    if data is None:
        return {}
    return next((d for d in documents(data) if d.get("kind") == kind), {})
