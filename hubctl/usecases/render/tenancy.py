"""What a tenant's flow may create: what its space's AppProject promises, checked before Argo CD sees it.

Every namespaced object lies in one of its space's namespaces; kinds are written literally in the
blueprint; no List wraps objects past these checks; no cluster-scoped kind unless the hub grants it to
the space (spec.tenancy.clusterScopedKinds), and a granted kind leaves the namespace check only when it is
known to be cluster-scoped; nothing the AppProject denies (quotas, RBAC, network policy of Kubernetes and
of the CNIs); no external-secrets object reads a ClusterSecretStore (the platform's) unless the hub grants
the space that kind. Spaces never claim a platform namespace (docs/security.md "Tenants").
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

# Kinds known to be cluster-scoped, in any API group: Kubernetes' own. Add-ons' kinds are known by group
# below. Any other kind named Cluster* or Global* is refused as cluster-scoped too, but a grant of one does
# not free it from the namespace check (cluster.x-k8s.io's Cluster is namespaced).
CLUSTER_SCOPED_KINDS = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "APIService", "CSIDriver", "CSINode",
    "VolumeAttachment", "VolumeSnapshotClass", "CertificateSigningRequest", "FlowSchema",
    "PriorityLevelConfiguration", "PodSecurityPolicy", "ClusterIssuer", "GatewayClass", "IPAddress",
    "ServiceCIDR", "VolumeSnapshotContent", "DeviceClass", "ResourceSlice",
    *(kind for _, kind in DENIED_CLUSTER),
})
# Add-ons' cluster-scoped kinds, and API groups whose kinds are all cluster-scoped (Gatekeeper's
# constraints and mutations, Crossplane packages, Karpenter's node pools, claims and node classes).
CLUSTER_SCOPED_GROUP_KINDS = frozenset({
    ("external-secrets.io", "ClusterSecretStore"), ("external-secrets.io", "ClusterExternalSecret"),
    ("external-secrets.io", "ClusterPushSecret"), ("external-secrets.io", "ClusterGenerator"),
    ("kyverno.io", "ClusterPolicy"), ("kyverno.io", "ClusterCleanupPolicy"),
    ("wgpolicyk8s.io", "ClusterPolicyReport"), ("apiextensions.crossplane.io", "CompositeResourceDefinition"),
    ("apiextensions.crossplane.io", "Composition"), ("apiextensions.crossplane.io", "CompositionRevision"),
    ("apiextensions.crossplane.io", "EnvironmentConfig"), ("karpenter.azure.com", "AKSNodeClass"),
})
CLUSTER_SCOPED_GROUPS = frozenset({
    "templates.gatekeeper.sh", "constraints.gatekeeper.sh", "mutations.gatekeeper.sh", "pkg.crossplane.io",
    "karpenter.sh", "karpenter.k8s.aws",
})
CLUSTER_STORE = ("external-secrets.io", "ClusterSecretStore")


def is_reserved_namespace(namespace: str, extra: Iterable[str] = (), hub_namespace: str = "argocd") -> bool:
    """Whether no space may claim `namespace` (built-in list, the hub's own, and the hub spec's `extra`)."""
    patterns = (*RESERVED_NAMESPACES, hub_namespace, *extra)
    return any(fnmatch.fnmatchcase(namespace, pattern) for pattern in patterns)


def group_of(api_version: str) -> str:
    """The API group of `api_version` ("" for the core group: `v1`)."""
    return api_version.rpartition("/")[0]


def is_known_cluster_scoped(group: str, kind: str) -> bool:
    """Whether group/kind is known to be cluster-scoped (a grant of it may then leave out a namespace)."""
    return kind in CLUSTER_SCOPED_KINDS or (group, kind) in CLUSTER_SCOPED_GROUP_KINDS or group in CLUSTER_SCOPED_GROUPS


def is_cluster_scoped(group: str, kind: str) -> bool:
    """Whether a flow must not create group/kind without a grant: known cluster-scoped, or named so."""
    return is_known_cluster_scoped(group, kind) or kind.startswith(("Cluster", "Global"))


def cluster_store_ref(node, path: tuple = ()) -> tuple | None:
    """The path of the first reference to a ClusterSecretStore below `node` (an ExternalSecret's
    secretStoreRef, a data[].sourceRef.storeRef, a PushSecret's secretStoreRefs[]), else None."""
    if isinstance(node, dict):
        if node.get("kind") == CLUSTER_STORE[1] and path:
            return path + ("kind",)
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for key, value in items:
        found = cluster_store_ref(value, path + (key,))
        if found:
            return found
    return None


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
    granted = set(granted)
    if is_cluster_scoped(group, kind):
        if (group, kind) not in granted:
            return [(("kind",), f"`{kind}` is cluster-scoped; flows may only create namespaced objects",
                     "leave cluster-scoped objects to the platform, or grant the kind to the space in the hub "
                     "spec (spec.tenancy.clusterScopedKinds)", "cluster-scoped")]
        if is_known_cluster_scoped(group, kind):
            return []
    store = cluster_store_ref(obj.get("spec")) if group == CLUSTER_STORE[0] else None
    if store and CLUSTER_STORE not in granted:
        return [(("spec",) + store, f"`{kind}` reads a ClusterSecretStore, the platform's: a space uses its own "
                 "SecretStore", "refer to a SecretStore in the space's namespace, or grant the space "
                 "external-secrets.io/ClusterSecretStore in the hub spec (spec.tenancy.clusterScopedKinds)",
                 "cluster-store")]
    meta = obj.get("metadata")
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    allowed = list(namespaces)
    if namespace not in allowed:
        return [(("metadata", "namespace"), f"namespace `{namespace}` is not one of the space's namespaces",
                 f"use one of: {', '.join(allowed)} (or leave metadata.namespace out)", "namespace-escape")]
    return []
