"""The shared-variant layout (Hub `spec.render.layout: variants`).

At 4,000 clusters most placements of a flow render the same manifests but for the `hubctl.io/cluster`
label: the per-cluster layout commits 160,000 near-copies. This layout commits each distinct variant of a
flow once, content-addressed, as variants/<space>/<flow>/<hash>/{kustomization.yaml,manifests.yaml}, with
the cluster label left out; every cluster's Application points at its variant through the ApplicationSet's
list generator and gets its cluster label back from Argo CD's kustomize (`commonLabels` with
`labelWithoutSelector`: on each object's metadata only, as the per-cluster layout writes it). A template
that reads `cluster.*` gives each cluster its own variant. The hash is of the variant's manifests.yaml,
so equal bytes share a directory and any change makes a new one.

A space's objects (namespaces, quotas, RBAC, network policies) differ from cluster to cluster only in that
label too: each distinct variant is written once as variants/<space>/spaces/<hash>/ (no flow is named
`spaces`: validation reserves it), and each spoke keeps one file, spokes/<cluster>/spaces/kustomization.yaml,
naming the variants of its spaces and its cluster label (kustomize `labels`, includeSelectors false: on each
object's metadata only). The spaces Application of a spoke still syncs spokes/<cluster>/spaces, so the hub's
side is the same in both layouts, and a `kustomize build` of that directory is what the spoke receives.
"""

from __future__ import annotations

import hashlib

from hubctl.base import constants as c
from hubctl.engines.yaml.yamlio import dump_all

VARIANTS_DIR = "variants"
SPACES = "spaces"  # variants/<space>/spaces/<hash>: a space's own variants
SPACES_KUSTOMIZATION = "kustomization.yaml"  # spokes/<cluster>/spaces/kustomization.yaml
KUSTOMIZATION = ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                 "resources:\n- manifests.yaml\n")


def without_cluster_label(docs: list[dict]) -> list[dict]:
    """`docs` with the cluster label taken off each object's metadata (Argo CD's kustomize adds it back)."""
    for doc in docs:
        labels = (doc.get("metadata") or {}).get("labels") if isinstance(doc.get("metadata"), dict) else None
        if isinstance(labels, dict):
            labels.pop(c.LABEL_CLUSTER, None)
    return docs


def variant_dir(space: str, flow: str, manifests: bytes) -> str:
    """The content-addressed directory of one variant, relative to the render directory."""
    return f"{VARIANTS_DIR}/{space}/{flow}/{hashlib.sha256(manifests).hexdigest()[:16]}"


def is_spoke_file(path: str) -> bool:
    """A per-cluster file (`spokes/<cluster>/flows/...` or `spokes/<cluster>/spaces/...`), which the variant
    layout writes as variants and, for the spaces, one kustomization.yaml per spoke."""
    return path.startswith("spokes/")


def spaces_kustomization(cluster: str, directories: list[str]) -> dict:
    """The kustomization of a spoke's spaces directory: its spaces' variants, and its cluster label on each
    object's metadata (not on selectors, not on pod templates), as the per-cluster layout writes it."""
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "resources": [f"../../../{directory}" for directory in directories],
            "labels": [{"pairs": {c.LABEL_CLUSTER: cluster}, "includeSelectors": False}]}


class Variants:
    """The variant files of a render and, per flow, the variant directory of each cluster."""

    def __init__(self, header):  # source file -> the header comment
        self.header = header
        self.files: dict[str, bytes] = {}
        self.paths: dict[str, dict[str, str]] = {}  # flow -> cluster -> variant directory

    def _put(self, directory: str, manifests: bytes, source: str) -> str:
        if f"{directory}/manifests.yaml" not in self.files:
            self.files[f"{directory}/manifests.yaml"] = manifests
            self.files[f"{directory}/kustomization.yaml"] = (self.header(source)
                                                              + KUSTOMIZATION).encode("utf-8")
        return directory

    def add_all(self, space: str, flow: str, clusters: list[str], manifests: list[bytes], source: str) -> None:
        """The flow's variant for each of `clusters`: the manifests of the same index. Each distinct bytes object
        is hashed once (clusters that share a variant share the object)."""
        objects = {id(made): made for made in manifests}
        directory = {key: self._put(variant_dir(space, flow, made), made, source) for key, made in objects.items()}
        self.paths.setdefault(flow, {}).update(zip(clusters, map(directory.__getitem__, map(id, manifests)),
                                                   strict=True))

    def add_spaces(self, cluster: str, spaces: list[tuple[str, bytes, str]], source: str) -> None:
        """The variants of a spoke's spaces, (space, manifests, space file) in space order, and the spoke's
        kustomization naming them (with `source`, the cluster's file, in its header)."""
        directories = [self._put(variant_dir(space, SPACES, manifests), manifests, space_file)
                       for space, manifests, space_file in spaces]
        text = self.header(source) + dump_all([spaces_kustomization(cluster, directories)])
        self.files[f"spokes/{cluster}/{SPACES}/{SPACES_KUSTOMIZATION}"] = text.encode("utf-8")
