"""Hub objects for Argo CD: the root Application, AppProjects, cluster registrations, ApplicationSets."""

from __future__ import annotations

import json

from hubctl.base import constants as c
from hubctl.spec.model import Cluster, Fleet, Space
from hubctl.usecases.render.goliteral import go_literal
from hubctl.usecases.render.labels import managed_labels
from hubctl.usecases.render.tenancy import DENIED_CLUSTER, DENIED_NAMESPACED

WAVE_FOUNDATION = "-1"  # AppProjects and cluster registrations first
WAVE_APPSETS = "1"  # then ApplicationSets
ESO_API_VERSION = "external-secrets.io/v1"


def _meta(name: str, fleet: Fleet, labels: dict, wave: str, source: str | None = None) -> dict:
    annotations = {c.ARGO_SYNC_WAVE: wave}
    if source:
        annotations[c.ANNOTATION_SOURCE] = source
    return {"name": name, "namespace": fleet.hub.argocd_namespace, "labels": labels, "annotations": annotations}


def root_application(fleet: Fleet) -> dict:
    """The app-of-apps Application that syncs rendered/hub (apply it once to bootstrap the hub)."""
    hub = fleet.hub
    return {
        "apiVersion": c.ARGO_API_VERSION,
        "kind": "Application",
        "metadata": {"name": f"{hub.name}-root", "namespace": hub.argocd_namespace, "labels": managed_labels(),
                     "annotations": {c.ANNOTATION_SOURCE: hub.origin.file}},
        "spec": {
            "project": hub.admin_project,
            "source": {"repoURL": hub.repo_url, "targetRevision": hub.repo_branch, "path": f"{hub.repo_path}/hub",
                       "directory": {"recurse": True, "exclude": "root.yaml"}},
            "destination": {"server": c.IN_CLUSTER_SERVER, "namespace": hub.argocd_namespace},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True},
                           "syncOptions": ["ServerSideApply=true"]},
        },
    }


def admin_project(fleet: Fleet, spoke_clusters: list[str]) -> dict:
    """The platform's own project: the root Application and the per-cluster space Applications."""
    hub = fleet.hub
    destinations = [{"server": c.IN_CLUSTER_SERVER, "namespace": hub.argocd_namespace}]
    destinations += [{"name": name, "namespace": "*"} for name in spoke_clusters]
    return {
        "apiVersion": c.ARGO_API_VERSION,
        "kind": "AppProject",
        "metadata": {**_meta(hub.admin_project, fleet, managed_labels(), WAVE_FOUNDATION, hub.origin.file),
                     "finalizers": [c.ARGO_FINALIZER]},
        "spec": {
            "description": "hubctl platform objects: hub bootstrap and spaces on every spoke",
            "sourceRepos": [hub.repo_url],
            "destinations": destinations,
            "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
        },
    }


def _group_kinds(pairs) -> list[dict]:
    return [{"group": group, "kind": kind} for group, kind in pairs]


def space_project(fleet: Fleet, space: Space, allowed_clusters: list[str]) -> dict:
    """An AppProject per space: only its namespaces on the clusters it may use; no cluster-scoped kinds."""
    repos = sorted({fleet.hub.repo_url, *space.source_repos})
    destinations = [{"name": cluster, "namespace": ns} for cluster in allowed_clusters for ns in space.namespaces]
    roles = [
        {"name": "owner", "description": f"owners of space {space.name}",
         "policies": [f"p, proj:{space.name}:owner, applications, {action}, {space.name}/*, allow"
                      for action in ("get", "sync", "action/*", "logs", "exec")],
         "groups": list(space.owners)},
    ]
    if space.viewers:
        roles.append({"name": "viewer", "description": f"viewers of space {space.name}",
                      "policies": [f"p, proj:{space.name}:viewer, applications, get, {space.name}/*, allow",
                                   f"p, proj:{space.name}:viewer, logs, get, {space.name}/*, allow"],
                      "groups": list(space.viewers)})
    return {
        "apiVersion": c.ARGO_API_VERSION,
        "kind": "AppProject",
        "metadata": {**_meta(space.name, fleet, managed_labels(space=space.name), WAVE_FOUNDATION, space.origin.file),
                     "finalizers": [c.ARGO_FINALIZER]},
        "spec": {
            "description": f"space {space.name}",
            "sourceRepos": repos,
            "destinations": destinations,
            # cluster-scoped kinds only as the hub spec grants them (spec.tenancy.clusterScopedKinds), never the
            # CNIs' cluster-wide policies; namespaced: the platform owns isolation: quotas, limits, network policy
            # (the CNIs' own included) and RBAC (a RoleBinding synced by Argo CD could grant a tenant
            # cluster-admin in its namespace and lift the quota)
            "clusterResourceWhitelist": _group_kinds(fleet.hub.cluster_scoped_grants.get(space.name, ())),
            "clusterResourceBlacklist": _group_kinds(DENIED_CLUSTER),
            "namespaceResourceBlacklist": _group_kinds(DENIED_NAMESPACED),
            "roles": roles,
            **({"syncWindows": sync_windows(fleet, space, allowed_clusters)} if space.sync_windows else {}),
        },
    }


def sync_windows(fleet: Fleet, space: Space, allowed_clusters: list[str]) -> list[dict]:
    """The space's maintenance windows as Argo CD sync windows: every Application of the project (`*`), or
    those on a cluster group, resolved to cluster names (Argo CD matches `clusters` on the destination name)."""
    from hubctl.spec import selectors

    out = []
    for window in space.sync_windows:
        doc = {"kind": window.kind, "schedule": window.schedule, "duration": window.duration}
        if window.clusters is None:
            doc["applications"] = ["*"]
        else:
            doc["clusters"] = [n for n in allowed_clusters
                               if selectors.matches(window.clusters, fleet.clusters[n].labels)]
        doc.update({"manualSync": window.manual_sync, "timeZone": window.time_zone})
        if window.description:
            doc["description"] = window.description
        out.append(doc)
    return out


def _cluster_config(cluster: Cluster) -> dict:
    """The Argo CD cluster `config` JSON: identity by reference only, never a secret."""
    config: dict = {}
    creds = cluster.credentials
    if "awsRole" in creds:
        aws = creds["awsRole"]
        config["awsAuthConfig"] = {"clusterName": aws.get("clusterName", cluster.name), "roleARN": aws["roleARN"]}
    elif "exec" in creds:
        ex = creds["exec"]
        config["execProviderConfig"] = {
            "command": ex["command"], "args": list(ex.get("args", ())), "env": dict(ex.get("env", {})),
            "apiVersion": ex.get("apiVersion", "client.authentication.k8s.io/v1beta1"),
            **({"installHint": ex["installHint"]} if "installHint" in ex else {}),
        }
    tls = {"insecure": bool(cluster.tls.get("insecure", False))}
    if "caData" in cluster.tls:
        tls["caData"] = cluster.tls["caData"]
    if "serverName" in cluster.tls:
        tls["serverName"] = cluster.tls["serverName"]
    config["tlsClientConfig"] = tls
    return config


def cluster_secret_labels(cluster: Cluster) -> dict:
    labels = {c.ARGO_SECRET_TYPE_LABEL: "cluster", **managed_labels(cluster=cluster.name)}
    labels.update(cluster.labels)
    return dict(sorted(labels.items()))


def cluster_registration(fleet: Fleet, cluster: Cluster, shard: int | None = None) -> dict:
    """A cluster Secret for Argo CD, or an ExternalSecret that produces it from a secret store.

    `shard`: the application-controller shard Argo CD must give the cluster (its `shard` key), or None.
    """
    name = f"cluster-{cluster.name}"
    labels = cluster_secret_labels(cluster)
    meta = _meta(name, fleet, labels, WAVE_FOUNDATION, cluster.origin.file)
    pinned = {} if shard is None else {"shard": str(shard)}
    if "externalSecret" not in cluster.credentials:
        return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque",
                "stringData": {"name": cluster.name, "server": cluster.server,
                               "config": json.dumps(_cluster_config(cluster), sort_keys=True), **pinned}}
    ref = cluster.credentials["externalSecret"]
    remote = {"key": ref["key"], **({"property": ref["property"]} if "property" in ref else {})}
    return {
        "apiVersion": ESO_API_VERSION,
        "kind": "ExternalSecret",
        "metadata": {**meta, "labels": managed_labels(cluster=cluster.name)},
        "spec": {
            "refreshInterval": "1h",
            "secretStoreRef": {"name": ref["store"], "kind": ref.get("storeKind", "ClusterSecretStore")},
            "target": {
                "name": name,
                "creationPolicy": "Owner",
                "template": {
                    "type": "Opaque",
                    "metadata": {"labels": labels},
                    # ESO evaluates these as Go templates: spec text goes in literally
                    "data": {"name": go_literal(cluster.name), "server": go_literal(cluster.server),
                             "config": "{{ .config }}", **pinned},
                },
            },
            "data": [{"secretKey": "config", "remoteRef": remote}],
        },
    }
