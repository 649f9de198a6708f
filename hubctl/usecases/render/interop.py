"""Placement for other multi-cluster tools (opt-in, hub `spec.render`), under <renderDir>/inventory/.

- SIG-Multicluster ClusterProfiles (KEP-4322, multicluster.x-k8s.io/v1alpha1), one per cluster of the Git
  inventory: the `x-k8s.io/cluster-manager: hubctl` label and `spec.clusterManager.name: hubctl`, the
  cluster's labels (env, region, provider and its own) as metadata labels, as consumers select on them,
  and `status.properties` (clusterset.k8s.io: the hub's name; location: the region; the API server).
  No `status.conditions`: health is not known offline, and a condition needs a transition time (the render
  has no clock); `hubctl status` reads health from the hub.
- OCM PlacementDecisions (cluster.open-cluster-management.io/v1beta1), per flow: `status.decisions[]` with
  `clusterName` and `reason`, at most 100 a decision as OCM writes them, one decision group per rollout
  stage (OCM's decision groups for progressive rollout), labelled as OCM's placement controller labels them.

They sit outside hub/, so the root Application does not apply them: a hub without these CRDs keeps syncing.

In a fleet of several hubs, a cluster is published by the hub that manages it (the active one) alone: its
ClusterProfile names that hub as its clusterset, and a consumer reading every hub's inventory sees each
cluster once, with one manager. A passive hub (a standby before a failover, a primary after one) registers
clusters it does not sync and publishes nothing: after a failover the standby publishes them, naming itself.
"""

from __future__ import annotations

from hubctl.base import constants as c
from hubctl.spec.model import Cluster, Fleet, Flow
from hubctl.usecases.render import stages as staging
from hubctl.usecases.render.labels import managed_labels
from hubctl.usecases.render.placement import Placement, group_in_force

PROFILE_API = "multicluster.x-k8s.io/v1alpha1"
DECISION_API = "cluster.open-cluster-management.io/v1beta1"
MANAGER = "hubctl"
OCM = "cluster.open-cluster-management.io"
DECISIONS_PER_OBJECT = 100  # OCM's placement controller puts at most 100 clusters in one PlacementDecision


def cluster_profile(fleet: Fleet, cluster: Cluster) -> dict:
    labels = {"x-k8s.io/cluster-manager": MANAGER, **managed_labels(cluster=cluster.name)}
    labels.update((k, v) for k, v in cluster.labels.items() if k not in labels)  # hubctl's own keys win
    return {
        "apiVersion": PROFILE_API,
        "kind": "ClusterProfile",
        "metadata": {"name": cluster.name, "namespace": fleet.hub.inventory_namespace, "labels": labels,
                     "annotations": {c.ANNOTATION_SOURCE: cluster.origin.file}},
        "spec": {"displayName": cluster.name, "clusterManager": {"name": MANAGER}},
        "status": {"properties": [{"name": "clusterset.k8s.io", "value": fleet.hub.name},
                                  {"name": "location", "value": cluster.region},
                                  {"name": "hubctl.io/server", "value": cluster.server}]},
    }


def _groups(fleet: Fleet, flow: Flow, clusters: list[str]) -> list[tuple[str, list[str], str]]:
    """(group name, clusters, reason) in rollout order: one per stage, else one unnamed group."""
    if flow.stages:
        return [(stage.name, names, f"rollout stage {stage.name}")
                for stage, names in zip(flow.stages, staging.members(fleet, flow, clusters), strict=True)]
    group = group_in_force(fleet, flow)
    return [("", clusters, "selected" if group is None else f"fallback group {group + 1}")]


def placement_decisions(fleet: Fleet, flow: Flow, placements: list[Placement]) -> list[dict]:
    name = f"{flow.space}-{flow.name}"
    out: list[dict] = []
    for index, (group, names, reason) in enumerate(_groups(fleet, flow, [p.cluster for p in placements])):
        for start in range(0, max(len(names), 1), DECISIONS_PER_OBJECT):
            chunk = names[start:start + DECISIONS_PER_OBJECT]
            labels = {f"{OCM}/placement": name, f"{OCM}/decision-group-index": str(index),
                      f"{OCM}/decision-group-name": group, **managed_labels(space=flow.space, flow=flow.name)}
            out.append({
                "apiVersion": DECISION_API,
                "kind": "PlacementDecision",
                "metadata": {"name": f"{name}-decision-{len(out) + 1}", "namespace": fleet.hub.inventory_namespace,
                             "labels": labels, "annotations": {c.ANNOTATION_SOURCE: flow.origin.file}},
                "status": {"decisions": [{"clusterName": n, "reason": reason} for n in chunk]},
            })
    return out


def inventory_files(fleet: Fleet, placements: list[Placement]) -> dict[str, tuple[str, list[dict]]]:
    """path -> (source file, documents) of every inventory object the hub asks for."""
    out: dict[str, tuple[str, list[dict]]] = {}
    if fleet.hub.cluster_profiles:
        managed = fleet.cache.get("managed_clusters")  # a hub's view of a fleet of several (render/hubsplit.py)
        for name, cluster in sorted(fleet.clusters.items()):
            if managed is not None and name not in managed:
                continue  # registered here, managed by another hub: that hub publishes it
            out[f"inventory/clusterprofiles/{name}.yaml"] = (cluster.origin.file, [cluster_profile(fleet, cluster)])
    if fleet.hub.placement_decisions:
        by_flow: dict[str, list[Placement]] = {}
        for p in placements:
            by_flow.setdefault(p.flow, []).append(p)
        for name, flow in sorted(fleet.flows.items()):
            docs = placement_decisions(fleet, flow, by_flow.get(name, []))
            out[f"inventory/placementdecisions/{flow.space}-{name}.yaml"] = (flow.origin.file, docs)
    return out
