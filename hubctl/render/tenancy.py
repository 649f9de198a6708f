"""What a tenant's flow may create: what its space's AppProject promises, checked before Argo CD sees it.

Every namespaced object lies in one of its space's namespaces; kinds are written literally in the
blueprint; no List wraps objects past these checks; no cluster-scoped kind unless the hub grants it to
the space (spec.tenancy.clusterScopedKinds); nothing the AppProject denies (quotas, RBAC, network policy
of Kubernetes and of the CNIs). Spaces never claim a platform namespace (docs/security.md "Tenants").
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

# Namespaces no space may claim: the control plane's, Argo CD's, and common platform add-ons'.
# The hub spec extends the list (spec.tenancy.reservedNamespaces); `*` matches any suffix.
RESERVED_NAMESPACES = (
    "kube-*", "openshift-*", "default", "argocd", "ingress-nginx", "cert-manager", "external-secrets",
    "gatekeeper-system", "kyverno", "calico-system", "calico-apiserver", "tigera-operator", "cilium-secrets",
    "istio-system", "linkerd", "flux-system",
)

# Namespaced kinds the platform owns (its AppProjects deny them to tenants): quotas, limits, RBAC (a
# RoleBinding could grant cluster-admin in the namespace) and network policy, the CNIs' own included
# (a tenant's CiliumNetworkPolicy could widen its egress past the space's default-deny).
DENIED_NAMESPACED = (
    ("", "ResourceQuota"), ("", "LimitRange"),
    ("networking.k8s.io", "NetworkPolicy"),
    ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding"),
    ("cilium.io", "CiliumNetworkPolicy"),
    ("crd.projectcalico.org", "NetworkPolicy"), ("crd.projectcalico.org", "NetworkSet"),
    ("projectcalico.org", "NetworkPolicy"), ("projectcalico.org", "NetworkSet"),
    ("crd.antrea.io", "NetworkPolicy"),
)
# Cluster-scoped policy kinds: denied even when the hub grants a space some cluster-scoped kinds.
DENIED_CLUSTER = (
    ("cilium.io", "CiliumClusterwideNetworkPolicy"), ("cilium.io", "CiliumCIDRGroup"),
    ("crd.projectcalico.org", "GlobalNetworkPolicy"), ("crd.projectcalico.org", "GlobalNetworkSet"),
    ("projectcalico.org", "GlobalNetworkPolicy"), ("projectcalico.org", "GlobalNetworkSet"),
    ("crd.antrea.io", "ClusterNetworkPolicy"), ("crd.antrea.io", "Tier"), ("crd.antrea.io", "ClusterGroup"),
    ("policy.networking.k8s.io", "AdminNetworkPolicy"),
    ("policy.networking.k8s.io", "BaselineAdminNetworkPolicy"),
)
_DENIED = frozenset(DENIED_NAMESPACED) | frozenset(DENIED_CLUSTER)

# Kinds known to be cluster-scoped. Any kind named Cluster* or Global* counts as cluster-scoped too.
CLUSTER_SCOPED_KINDS = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "APIService", "CSIDriver", "CSINode",
    "VolumeAttachment", "VolumeSnapshotClass", "CertificateSigningRequest", "FlowSchema",
    "PriorityLevelConfiguration", "PodSecurityPolicy", "ClusterIssuer", "GatewayClass",
    *(kind for _, kind in DENIED_CLUSTER),
})


def is_reserved_namespace(namespace: str, extra: Iterable[str] = (), hub_namespace: str = "argocd") -> bool:
    """Whether no space may claim `namespace` (built-in list, the hub's own, and the hub spec's `extra`)."""
    patterns = (*RESERVED_NAMESPACES, hub_namespace, *extra)
    return any(fnmatch.fnmatchcase(namespace, pattern) for pattern in patterns)


def group_of(api_version: str) -> str:
    """The API group of `api_version` ("" for the core group: `v1`)."""
    return api_version.rpartition("/")[0]


def is_cluster_scoped(kind: str) -> bool:
    return kind in CLUSTER_SCOPED_KINDS or kind.startswith(("Cluster", "Global"))


def is_denied(group: str, kind: str) -> bool:
    """Whether every tenant AppProject denies group/kind."""
    return (group, kind) in _DENIED


def is_list(obj: dict) -> bool:
    """Whether Argo CD and kubectl would unwrap `obj` as a list of objects (kind *List or an `items` list)."""
    return str(obj.get("kind", "")).endswith("List") or isinstance(obj.get("items"), list)


def object_problems(obj: dict, template: dict, namespaces: Iterable[str],
                    granted: Iterable[tuple[str, str]]) -> list[tuple[tuple, str, str, str]]:
    """What is wrong with one rendered object of a flow, as (path, message, hint, code) tuples.

    `template` is the blueprint document it came from (its kind and apiVersion are the literal ones),
    `namespaces` the flow's space's namespaces, `granted` the (group, kind) pairs the hub grants the space.
    """
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    if kind != template.get("kind") or api_version != template.get("apiVersion"):
        return [(("kind",), "kind and apiVersion must be written literally in the template, not come from params",
                 "write them out in the blueprint template", "templated-kind")]
    if is_list(obj):
        return [(("items",), f"`{kind}` wraps objects in a list, past the checks of each object",
                 "write each object as its own YAML document", "list-kind")]
    group = group_of(api_version)
    if is_denied(group, kind):
        return [(("kind",), f"`{kind}` ({group or 'core'}) belongs to the platform: the space's AppProject "
                 "denies it", "the space spec sets quotas, limits, RBAC and network policy", "denied-kind")]
    if is_cluster_scoped(kind):
        if (group, kind) in set(granted):
            return []
        return [(("kind",), f"`{kind}` is cluster-scoped; flows may only create namespaced objects",
                 "leave cluster-scoped objects to the platform, or grant the kind to the space in the hub "
                 "spec (spec.tenancy.clusterScopedKinds)", "cluster-scoped")]
    meta = obj.get("metadata")
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    allowed = list(namespaces)
    if namespace not in allowed:
        return [(("metadata", "namespace"), f"namespace `{namespace}` is not one of the space's namespaces",
                 f"use one of: {', '.join(allowed)} (or leave metadata.namespace out)", "namespace-escape")]
    return []
