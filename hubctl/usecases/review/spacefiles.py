"""A spoke's space files as the prune guard reads them, whatever the layout (docs/specs.md, Render layout).

In the files layout `spokes/<cluster>/spaces/<space>.yaml` holds a space's objects. In the variants layout
`spokes/<cluster>/spaces/kustomization.yaml` names the shared variant of each space on the cluster
(`../../../variants/<space>/spaces/<hash>`), whose manifests.yaml holds them. A committed render has no
per-cluster view, so the guard follows the kustomization, read with a regular expression from the fixed
shape hubctl writes (as the ApplicationSets and Namespaces are, in prune.py), else parsed as YAML.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from hubctl.usecases.review.hubchanges import first_document

_KUSTOMIZATION = re.compile(r"^apiVersion: kustomize\.config\.k8s\.io/v1beta1\nkind: Kustomization\n", re.M)
_RESOURCES = re.compile(r"^resources:\n(?P<items>(?:- [-a-z0-9./]+\n)*)(?:labels:\n|\Z)", re.M)
_SPACE_VARIANT = re.compile(r"^variants/(?P<space>[a-z0-9][-a-z0-9]*)/spaces/[0-9a-f]+$")


def _resources(text: str, data: bytes) -> list[str]:
    """The `resources` of a kustomization: read from our emitter's fixed shape, else parsed as YAML."""
    found = _RESOURCES.search(text)
    if found and text.count("\nresources:") == 1:
        return [line[2:] for line in found.group("items").splitlines()]
    items = first_document(data, "Kustomization").get("resources")
    return [str(item) for item in items] if isinstance(items, list) else []


def space_files(files: Mapping[str, bytes], path: str, space: str) -> list[tuple[str, bytes]]:
    """(space, the file of its objects) of a spoke's space file: the file itself, or in the variants layout
    (spokes/<cluster>/spaces/kustomization.yaml) each space variant its kustomization names. A resource that
    is not a space variant of the render names nothing (hubctl writes no such kustomization)."""
    data = files[path]
    if space != "kustomization":
        return [(space, data)]
    text = data.decode("utf-8", "replace")
    if not (_KUSTOMIZATION.search(text) or first_document(data, "Kustomization")):  # a space named so
        return [(space, data)]
    out = []
    for resource in _resources(text, data):
        directory = posixpath.normpath(posixpath.join(posixpath.dirname(path), str(resource)))
        found = _SPACE_VARIANT.match(directory)
        if found and f"{directory}/manifests.yaml" in files:
            out.append((found.group("space"), files[f"{directory}/manifests.yaml"]))
    return out
