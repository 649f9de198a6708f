"""Per-spoke space objects: Namespace, ResourceQuota, LimitRange, RoleBindings, NetworkPolicies."""

from __future__ import annotations

from hubctl.base.constants import ANNOTATION_SOURCE
from hubctl.spec.model import Fleet, Space
from hubctl.usecases.render.labels import managed_labels

QUOTA_KEYS = {
    "cpu": "requests.cpu", "memory": "requests.memory", "limitsCpu": "limits.cpu",
    "limitsMemory": "limits.memory", "pods": "pods", "storage": "requests.storage",
    "persistentVolumeClaims": "persistentvolumeclaims", "services": "services",
    "loadBalancers": "services.loadbalancers",
}
INGRESS_NAMESPACES = ["ingress-nginx"]
NS_NAME_LABEL = "kubernetes.io/metadata.name"


def _namespace(space: Space, ns: str, cluster: str) -> dict:
    labels = {**managed_labels(space=space.name, cluster=cluster), "pod-security.kubernetes.io/enforce": "baseline",
              "pod-security.kubernetes.io/warn": "restricted"}
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ns, "labels": labels, "annotations": {ANNOTATION_SOURCE: space.origin.file}}}


def _meta(space: Space, ns: str, name: str, cluster: str) -> dict:
    return {"name": name, "namespace": ns, "labels": managed_labels(space=space.name, cluster=cluster),
            "annotations": {ANNOTATION_SOURCE: space.origin.file}}


def _quota(space: Space, ns: str, cluster: str) -> dict | None:
    if not space.quota:
        return None
    hard = {QUOTA_KEYS[k]: str(v) for k, v in sorted(space.quota.items())}
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _meta(space, ns, "hubctl-quota", cluster),
            "spec": {"hard": hard}}


def _limit_range(space: Space, ns: str, cluster: str) -> dict | None:
    lim = space.limits
    if not lim:
        return None
    item: dict = {"type": "Container"}
    pairs = [("default", "defaultCpu", "cpu"), ("default", "defaultMemory", "memory"),
             ("defaultRequest", "defaultRequestCpu", "cpu"), ("defaultRequest", "defaultRequestMemory", "memory"),
             ("max", "maxCpu", "cpu"), ("max", "maxMemory", "memory")]
    for section, key, resource in pairs:
        if key in lim:
            item.setdefault(section, {})[resource] = str(lim[key])
    return {"apiVersion": "v1", "kind": "LimitRange", "metadata": _meta(space, ns, "hubctl-limits", cluster),
            "spec": {"limits": [item]}}


def _role_bindings(space: Space, ns: str, cluster: str) -> list[dict]:
    out = []
    for role, groups in (("admin", space.owners), ("view", space.viewers)):
        if not groups:
            continue
        out.append({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": _meta(space, ns, f"hubctl-{'owners' if role == 'admin' else 'viewers'}", cluster),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g} for g in groups],
        })
    return out


def _ns_peer(names: list[str]) -> dict:
    return {"namespaceSelector": {"matchExpressions": [{"key": NS_NAME_LABEL, "operator": "In",
                                                        "values": sorted(names)}]}}


def _network_policies(fleet: Fleet, space: Space, ns: str, cluster: str) -> list[dict]:
    net = space.network
    if net.isolation == "none":
        return []
    deny = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": _meta(space, ns, "hubctl-default-deny", cluster),
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}
    peers = [_ns_peer(list(space.namespaces))]
    others = [n for other in net.allow_from_spaces if other in fleet.spaces for n in fleet.spaces[other].namespaces]
    others += list(net.allow_from_namespaces)
    if others:
        peers.append(_ns_peer(others))
    if net.allow_ingress_controller:
        peers.append(_ns_peer(INGRESS_NAMESPACES))
    peers += [{"ipBlock": {"cidr": cidr}} for cidr in net.allow_from_cidrs]
    ingress = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": _meta(space, ns, "hubctl-allow-ingress", cluster),
               "spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{"from": peers}]}}
    return [deny, ingress, _egress(space, ns, cluster)]


def _egress(space: Space, ns: str, cluster: str) -> dict:
    net = space.network
    dns = {"to": [{"namespaceSelector": {"matchLabels": {NS_NAME_LABEL: "kube-system"}},
                   "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
           "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}
    if net.egress == "all":
        rules = [{}]
    elif net.egress == "dns-only":
        rules = [dns]
    else:  # cidrs: DNS, the space's own namespaces, and the listed networks
        rules = [dns, {"to": [_ns_peer(list(space.namespaces))]}]
        if net.egress_cidrs:
            rules.append({"to": [{"ipBlock": {"cidr": cidr}} for cidr in net.egress_cidrs]})
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": _meta(space, ns, "hubctl-allow-egress", cluster),
            "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": rules}}


def space_objects(fleet: Fleet, space: Space, cluster: str) -> list[dict]:
    """Everything a space needs on a spoke, namespace by namespace, in apply order."""
    docs: list[dict] = []
    for ns in space.namespaces:
        docs.append(_namespace(space, ns, cluster))
        docs += [d for d in (_quota(space, ns, cluster), _limit_range(space, ns, cluster)) if d]
        docs += _role_bindings(space, ns, cluster)
        docs += _network_policies(fleet, space, ns, cluster)
    return docs
