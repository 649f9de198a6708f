"""Blueprint templates parsed once per process, shared by validation and rendering."""

from __future__ import annotations

from functools import lru_cache

from hubctl.spec.problems import Problem
from hubctl.spec.yamlload import Document, load_documents

# Kinds a tenant's flow may not create: cluster-scoped objects belong to the platform.
CLUSTER_SCOPED_KINDS = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration", "APIService", "CSIDriver", "VolumeSnapshotClass", "ClusterIssuer",
})


@lru_cache(maxsize=256)
def _parse(rel: str, text: str) -> tuple[tuple[Document, ...], tuple[Problem, ...]]:
    docs, problems = load_documents(rel, text.encode("utf-8"))
    return tuple(docs), tuple(problems)


def template_documents(templates: tuple[tuple[str, str], ...]) -> tuple[list[Document], list[Problem]]:
    """The parsed documents of a blueprint's `templates` (in file order) and any parse problems."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for rel, text in templates:
        parsed, errs = _parse(rel, text)
        docs.extend(parsed)
        problems.extend(errs)
    return docs, problems
