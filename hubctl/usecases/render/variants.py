"""The shared-variant layout (Hub `spec.render.layout: variants`).

At 4,000 clusters most placements of a flow render the same manifests but for the `hubctl.io/cluster`
label: the per-cluster layout commits 160,000 near-copies. This layout commits each distinct variant of a
flow once, content-addressed, as variants/<space>/<flow>/<hash>/{kustomization.yaml,manifests.yaml}, with
the cluster label left out; every cluster's Application points at its variant through the ApplicationSet's
list generator and gets its cluster label back from Argo CD's kustomize (`commonLabels` with
`labelWithoutSelector`: on each object's metadata only, as the per-cluster layout writes it). A template
that reads `cluster.*` gives each cluster its own variant. The hash is of the variant's manifests.yaml,
so equal bytes share a directory and any change makes a new one.
"""

from __future__ import annotations

import hashlib

from hubctl.base import constants as c

VARIANTS_DIR = "variants"
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


def is_flow_spoke_file(path: str) -> bool:
    """A per-cluster flow file (`spokes/<cluster>/flows/...`), which the variant layout does not write."""
    return path.startswith("spokes/") and path.split("/", 3)[2] == "flows"


class Variants:
    """The variant files of a render and, per flow, the variant directory of each cluster."""

    def __init__(self, header):  # source file -> the header comment
        self.header = header
        self.files: dict[str, bytes] = {}
        self.paths: dict[str, dict[str, str]] = {}  # flow -> cluster -> variant directory

    def add(self, space: str, flow: str, cluster: str, manifests: bytes, source: str) -> None:
        directory = variant_dir(space, flow, manifests)
        if f"{directory}/manifests.yaml" not in self.files:
            self.files[f"{directory}/manifests.yaml"] = manifests
            self.files[f"{directory}/kustomization.yaml"] = (self.header(source)
                                                              + KUSTOMIZATION).encode("utf-8")
        self.paths.setdefault(flow, {})[cluster] = directory
