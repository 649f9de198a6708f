"""A flow rendered from its blueprint for one cluster: params layered, resilience applied, labelled."""

from __future__ import annotations

from collections.abc import Iterator

from hubctl.base import constants as c
from hubctl.engines.yaml.yamlload import Document
from hubctl.spec.model import Cluster, Fleet, Flow
from hubctl.usecases.render.blueprints import template_documents
from hubctl.usecases.render.labels import managed_labels
from hubctl.usecases.render.params import deep_merge
from hubctl.usecases.render.template import TemplateError, render_document
from hubctl.usecases.render.tenancy import group_of, is_known_cluster_scoped, object_problems


def resilience_for(fleet: Fleet, cluster: Cluster, params: dict) -> dict:
    """Production resilience by default (hub.defaults.resilience), overridable by params.resilience."""
    hub = fleet.hub.resilience
    base = {"enabled": cluster.environment in hub.environments, "minReplicas": hub.min_replicas,
            "podDisruptionBudget": hub.pod_disruption_budget, "topologySpread": hub.topology_spread}
    res = deep_merge(base, params.get("resilience") or {})
    if not res["enabled"]:
        res["podDisruptionBudget"] = res["topologySpread"] = False
    return res


def context_for(fleet: Fleet, flow: Flow, cluster: Cluster, params: dict) -> dict:
    resilience = resilience_for(fleet, cluster, params)
    params = dict(params)
    replicas = params.get("replicas")
    if resilience["enabled"] and isinstance(replicas, int) and 0 < replicas < resilience["minReplicas"]:
        params["replicas"] = resilience["minReplicas"]
    if isinstance(params.get("replicas"), int) and params["replicas"] < 2:
        # minAvailable: 1 on a single replica would block every voluntary eviction (node drains)
        resilience = {**resilience, "podDisruptionBudget": False}
    space = fleet.spaces[flow.space]
    return {
        "params": params,
        "flow": {"name": flow.name, "space": flow.space, "namespace": flow.namespace},
        "space": {"name": space.name, "namespaces": list(space.namespaces)},
        "cluster": {"name": cluster.name, "environment": cluster.environment, "region": cluster.region,
                    "provider": cluster.provider, "zones": list(cluster.zones), "labels": dict(cluster.labels)},
        "resilience": resilience,
    }


def _stamp(doc: dict, context: dict, source: str) -> dict:
    flow, cluster = context["flow"], context["cluster"]["name"]
    meta = doc.setdefault("metadata", {})
    if not isinstance(meta, dict):
        return doc  # refused by the tenancy checks
    if not is_known_cluster_scoped(group_of(str(doc.get("apiVersion", ""))), str(doc.get("kind"))):
        meta.setdefault("namespace", flow["namespace"])
    meta["labels"] = {**(meta.get("labels") or {}), **managed_labels(space=flow["space"], flow=flow["name"],
                                                                     cluster=cluster)}
    meta["annotations"] = {**(meta.get("annotations") or {}), c.ANNOTATION_SOURCE: source}
    return doc


def flow_inputs(fleet: Fleet, flow: Flow, cluster: Cluster, params: dict) -> tuple:
    """Everything the manifests of `flow` on `cluster` are computed from: manifests_from's arguments."""
    return (fleet.blueprints[flow.blueprint].templates, context_for(fleet, flow, cluster, params), flow.origin.file,
            tuple(fleet.hub.cluster_scoped_grants.get(flow.space, ())))


def _where(context: dict, where) -> str:
    return f"flow `{context['flow']['name']}` on cluster `{context['cluster']['name']}`: {where.location} {where.path}"


def rendered_objects(templates: tuple[tuple[str, str], ...], context: dict, source: str,
                     grants: tuple = ()) -> Iterator[tuple[Document, dict, list]]:
    """Each rendered, stamped object with its template document and its tenancy problems
    (render.tenancy.object_problems: what the space's AppProject would refuse).

    Raises:
        TemplateError: when a template uses a missing param (message names flow, cluster and template).
    """
    docs, _ = template_documents(templates)
    namespaces = context["space"]["namespaces"]
    for doc in docs:
        try:
            rendered = render_document(doc.data, context)
        except TemplateError as exc:
            raise TemplateError(f"{_where(context, doc.problem(exc.path, exc.message))}: {exc.message}",
                                exc.path, exc.hint) from None
        if rendered is not None:
            obj = _stamp(rendered, context, source)
            yield doc, obj, object_problems(obj, doc.data, namespaces, grants)


def manifests_from(templates: tuple[tuple[str, str], ...], context: dict, source: str,
                   grants: tuple = ()) -> list[dict]:
    """The manifests that blueprint `templates` give in `context`; `source` is the flow's spec file;
    `grants` the cluster-scoped (group, kind) pairs the hub grants the flow's space.

    Raises:
        TemplateError: when a template uses a missing param, or an object would leave the flow's space
            (message names flow, cluster and template).
    """
    out = []
    for doc, obj, problems in rendered_objects(templates, context, source, grants):
        if problems:
            path, message, hint, _ = problems[0]
            raise TemplateError(f"{_where(context, doc.problem(path, message))}: {message}", path, hint)
        out.append(obj)
    return out


def flow_manifests(fleet: Fleet, flow: Flow, cluster: Cluster, params: dict) -> list[dict]:
    """The manifests of `flow` on `cluster`.

    Raises:
        TemplateError: when a template uses a missing param, or an object would leave the flow's space.
    """
    return manifests_from(*flow_inputs(fleet, flow, cluster, params))
