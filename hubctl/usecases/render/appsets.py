"""One ApplicationSet per flow, generating exactly the flow's placements, plus the spaces ApplicationSet.

Each set carries `resources-finalizer.argocd.argoproj.io` in its own metadata: when the root Application
prunes a set removed from Git, Argo CD's ApplicationSet controller (v3.5.1, applicationset_controller.go)
then sees the deletion and, for a policy that does not allow deleting (create-update), removes the
ownerReferences of its Applications instead of letting garbage collection delete them. They stay on the
hub as orphans, still synced, until `hubctl prune` deletes those a guarded commit allowed, with their
workloads (docs/architecture.md, "Removals"). Without the finalizer they would be deleted at once and,
under preserveResourcesOnDeletion, their workloads left on the spokes with nothing reporting them.
"""

from __future__ import annotations

from hubctl.base import constants as c
from hubctl.engines.yaml.yamlio import dump
from hubctl.spec.model import Fleet, Flow, SyncPolicy
from hubctl.usecases.render import stages
from hubctl.usecases.render.goliteral import go_literal
from hubctl.usecases.render.hub import WAVE_APPSETS, _meta
from hubctl.usecases.render.labels import managed_labels
from hubctl.usecases.render.params import base_version, source_version
from hubctl.usecases.render.placement import Placement, app_name

CLUSTER_NAME = "{{ .name }}"
CLUSTER_ENV = '{{ index .metadata.labels "env" }}'
TARGET_REVISION = "{{ .targetRevision }}"  # a list generator parameter: the cluster's own source version
VARIANT_PATH = "{{ .variantPath }}"  # a list generator parameter: the cluster's variant (layout: variants)


def appset_name(flow: Flow) -> str:
    """The ApplicationSet of a flow, also the stem of its file under hub/applicationsets/."""
    return f"{flow.space}-{flow.name}"


def _pinned_selector(flow_selector: dict | None, clusters: list[str]) -> dict:
    """The flow's own selector (for reviewers) AND the exact placed clusters (the computed placement)."""
    selector = dict(flow_selector or {})
    expressions = list(selector.get("matchExpressions", []))
    expressions.append({"key": c.LABEL_CLUSTER, "operator": "In", "values": clusters})
    selector["matchExpressions"] = expressions
    return selector


def _app_sync_policy(policy: SyncPolicy) -> dict:
    out: dict = {}
    if policy.automated:
        out["automated"] = {"prune": policy.prune, "selfHeal": policy.self_heal}
    out["syncOptions"] = [go_literal(option) for option in policy.sync_options]
    if policy.retry_limit:
        out["retry"] = {"limit": policy.retry_limit,
                        "backoff": {"duration": "10s", "factor": 2, "maxDuration": "5m"}}
    return out


def _template_labels(flow: Flow) -> dict:
    labels = managed_labels(space=flow.space, flow=flow.name, cluster=CLUSTER_NAME)
    labels[c.LABEL_ENV] = CLUSTER_ENV
    return labels


def _source(fleet: Fleet, flow: Flow, variants: bool = False) -> dict:
    """The template's source. Every spec value in it goes through go_literal: Argo CD evaluates the
    template as a Go template, and a flow's text must reach the Application as written (docs/security.md).
    In the variant layout (hubctl.usecases.render.variants) kustomize puts the cluster label back on every object."""
    hub, lit = fleet.hub, go_literal
    if flow.source is None and variants:
        return {"repoURL": lit(hub.repo_url), "targetRevision": lit(hub.repo_branch), "path": VARIANT_PATH,
                "kustomize": {"commonLabels": {c.LABEL_CLUSTER: CLUSTER_NAME}, "labelWithoutSelector": True}}
    if flow.source is None:
        return {"repoURL": lit(hub.repo_url), "targetRevision": lit(hub.repo_branch),
                "path": f"{lit(hub.repo_path)}/spokes/{CLUSTER_NAME}/flows/{lit(flow.space)}/{lit(flow.name)}"}
    revision = TARGET_REVISION if flow.version_overrides else lit(base_version(flow))
    if flow.source_kind == "git":
        git = flow.source["git"]
        return {"repoURL": lit(git["repoURL"]), "targetRevision": revision, "path": lit(git["path"])}
    helm = flow.source["helm"]
    return {"repoURL": lit(helm["repoURL"]), "chart": lit(helm["chart"]), "targetRevision": revision,
            "helm": {"releaseName": lit(helm.get("releaseName", flow.name)), "values": "{{ .helmValues }}"}}


def _element(fleet: Fleet, flow: Flow, cluster: str, values: dict[str, dict],
             variants: dict[str, str] | None) -> dict:
    """The list generator's parameters for one cluster: its source version, Helm values or variant, as needed."""
    element = {"name": cluster}
    if variants is not None and flow.source is None:
        element["variantPath"] = f"{fleet.hub.repo_path}/{variants[cluster]}"
    if flow.version_overrides:
        element["targetRevision"] = source_version(flow, fleet.clusters[cluster])
    if flow.source_kind == "helm":
        element["helmValues"] = dump(values[cluster]) if values[cluster] else ""
    return element


def _generators(fleet: Fleet, flow: Flow, placements: list[Placement], values: dict[str, dict],
                variants: dict[str, str] | None) -> list[dict]:
    clusters = [p.cluster for p in placements]
    cluster_gen = {"clusters": {"selector": _pinned_selector(flow.placement.selector.to_dict(), clusters)}}
    if flow.source_kind != "helm" and not flow.version_overrides and (variants is None or flow.source):
        return [cluster_gen]
    elements = [_element(fleet, flow, name, values, variants) for name in clusters]
    return [{"merge": {"mergeKeys": ["name"], "generators": [cluster_gen, {"list": {"elements": elements}}]}}]


def _strategy(fleet: Fleet, flow: Flow, placements: list[Placement]) -> dict | None:
    if flow.stages:  # render/stages.py: one step per stage, a waiting stage without approval held
        steps = stages.rollingsync_steps(fleet, flow, [p.cluster for p in placements])
        return {"type": "RollingSync", "rollingSync": {"steps": steps}}
    if not flow.rollout:
        return None
    steps = []
    for wave in flow.rollout:
        step: dict = {"matchExpressions": [{"key": c.LABEL_ENV, "operator": "In", "values": list(wave.environments)}]}
        if wave.max_update is not None:
            step["maxUpdate"] = wave.max_update
        steps.append(step)
    return {"type": "RollingSync", "rollingSync": {"steps": steps}}


def flow_appset(fleet: Fleet, flow: Flow, placements: list[Placement], values: dict[str, dict],
                variants: dict[str, str] | None = None) -> dict:
    """The ApplicationSet of `flow`; `values` holds the layered Helm values per cluster (external charts);
    `variants` each cluster's variant directory in the variant layout (hubctl.usecases.render.variants).

    External flows with version overrides get each cluster's chart version or targetRevision through the
    list generator, as Helm values already do: one ApplicationSet template cannot hold several revisions.
    """
    policy = flow.sync_policy or fleet.hub.sync_policy
    spec: dict = {
        "goTemplate": True,
        "goTemplateOptions": ["missingkey=error"],
        "generators": _generators(fleet, flow, placements, values, variants),
        "template": {
            "metadata": {"name": app_name(flow.name, CLUSTER_NAME), "labels": _template_labels(flow),
                         "annotations": {c.ANNOTATION_SOURCE: go_literal(flow.origin.file)}},
            "spec": {
                "project": go_literal(flow.space),
                "source": _source(fleet, flow, variants is not None),
                "destination": {"name": CLUSTER_NAME, "namespace": go_literal(flow.namespace)},
                "syncPolicy": _app_sync_policy(policy),
            },
        },
        "syncPolicy": {
            "preserveResourcesOnDeletion": not policy.prune,
            "applicationsSync": "sync" if policy.prune else "create-update",
        },
    }
    strategy = _strategy(fleet, flow, placements)
    if strategy:
        spec["strategy"] = strategy
    meta = _meta(appset_name(flow), fleet, managed_labels(space=flow.space, flow=flow.name),
                 WAVE_APPSETS, flow.origin.file)
    meta["finalizers"] = [c.ARGO_FINALIZER]  # removed from Git: its Applications are released, not deleted
    return {"apiVersion": c.ARGO_API_VERSION, "kind": "ApplicationSet", "metadata": meta, "spec": spec}


def spaces_app_name(cluster: str) -> str:
    """The Application that syncs the spaces of one spoke."""
    return f"spaces-{cluster}"


def spaces_appset(fleet: Fleet, clusters: list[str]) -> dict:
    """One Application per spoke that syncs its spaces (namespaces, quotas, RBAC, network policies)."""
    hub = fleet.hub
    selector = {"matchExpressions": [{"key": c.LABEL_CLUSTER, "operator": "In", "values": clusters}]}
    return {
        "apiVersion": c.ARGO_API_VERSION,
        "kind": "ApplicationSet",
        "metadata": {**_meta(c.SPACES_APPSET, fleet, managed_labels(), WAVE_APPSETS, hub.origin.file),
                     "finalizers": [c.ARGO_FINALIZER]},
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{"clusters": {"selector": selector}}],
            "template": {
                "metadata": {"name": spaces_app_name(CLUSTER_NAME),
                             # tracked by `hubctl status` as the flow hubctl-spaces of the admin project
                             "labels": {**managed_labels(space=hub.admin_project, flow=c.SPACES_APPSET,
                                                         cluster=CLUSTER_NAME),
                                        c.LABEL_COMPONENT: "spaces", c.LABEL_ENV: CLUSTER_ENV}},
                "spec": {
                    "project": go_literal(hub.admin_project),
                    "source": {"repoURL": go_literal(hub.repo_url), "targetRevision": go_literal(hub.repo_branch),
                               "path": f"{go_literal(hub.repo_path)}/spokes/{CLUSTER_NAME}/spaces"},
                    "destination": {"name": CLUSTER_NAME},
                    "syncPolicy": {"automated": {"prune": False, "selfHeal": True},
                                   "syncOptions": ["ServerSideApply=true"]},
                },
            },
            "syncPolicy": {"preserveResourcesOnDeletion": True, "applicationsSync": "create-update"},
        },
    }
