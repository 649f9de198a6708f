"""Checks that a flow stays in its space: its rendered objects, as the space's AppProject would judge them.

Blueprint templates are checked on their own first (checks_blueprints: literal kinds, no lists, no kind
the platform keeps). Where a template could still put an object elsewhere (it sets metadata.namespace, or
builds metadata or top-level keys from params), the flow is rendered as `hubctl render` would render it,
once per distinct set of inputs, and every object is checked (render.tenancy.object_problems).
"""

from __future__ import annotations

from hubctl.base.problems import Problem
from hubctl.spec.model import Blueprint, Fleet, Flow
from hubctl.usecases.render.blueprints import template_documents
from hubctl.usecases.render.flows import context_for, rendered_objects
from hubctl.usecases.render.params import base_params, cluster_params, override_keyer
from hubctl.usecases.render.template import TemplateError, placeholders
from hubctl.usecases.render.tenancy import CLUSTER_STORE, group_of, is_cluster_scoped, is_denied

# Problems of kinds that checks_blueprints already reports on the template itself.
_STATIC_CODES = {"denied-kind", "cluster-scoped"}


def _stays_put(blueprint: Blueprint) -> bool:
    """Whether every object of `blueprint` lands in the flow's namespace whatever the params and reads
    nothing outside it: no template sets metadata.namespace or builds metadata or a top-level key from
    params, and none is an external-secrets object (it may refer to a ClusterSecretStore, which depends on
    the space's grants)."""
    docs, _ = template_documents(blueprint.templates)
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or any(True for _ in placeholders(list(data))):
            return False
        if group_of(str(data.get("apiVersion", ""))) == CLUSTER_STORE[0]:
            return False
        meta = data.get("metadata", {})
        if not isinstance(meta, dict) or "namespace" in meta or any(True for _ in placeholders(list(meta))):
            return False
    return True


def _granted_elsewhere(fleet: Fleet, flow: Flow, blueprint: Blueprint) -> list[Problem]:
    """Cluster-scoped kinds the hub grants some space, used by a flow of a space it does not grant them."""
    granted = set(fleet.hub.cluster_scoped_grants.get(flow.space, ()))
    docs, _ = template_documents(blueprint.templates)
    out = []
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str) \
                or not isinstance(data.get("apiVersion"), str):
            continue
        pair = (group_of(data["apiVersion"]), data["kind"])
        if is_cluster_scoped(*pair) and not is_denied(*pair) and pair not in granted:
            out.append(doc.problem(("kind",), f"`{pair[1]}` is cluster-scoped and the hub does not grant it to "
                                   f"space `{flow.space}` (flow `{flow.name}`)",
                                   "grant it in the hub spec (spec.tenancy.clusterScopedKinds) or use another "
                                   "blueprint", "cluster-scoped"))
    return out


def _variants(fleet: Fleet, flow: Flow, placements) -> dict:
    """One cluster per distinct rendering of the flow (per cluster when templates read cluster.*)."""
    docs, _ = template_documents(fleet.blueprints[flow.blueprint].templates)
    per_cluster = any(expr.split(".")[0] == "cluster" for doc in docs for _, expr in placeholders(doc.data))
    out: dict = {}
    keyer, resilient = override_keyer(flow), fleet.hub.resilience.environments
    for p in placements:
        cluster = fleet.clusters[p.cluster]
        key = cluster.name if per_cluster else (keyer(cluster), cluster.environment in resilient)
        out.setdefault(key, cluster)
    return out


def _rendered_problems(fleet: Fleet, flow: Flow, placements) -> list[Problem]:
    base = base_params(fleet, flow)
    grants = tuple(fleet.hub.cluster_scoped_grants.get(flow.space, ()))
    templates = fleet.blueprints[flow.blueprint].templates
    for cluster in _variants(fleet, flow, placements).values():
        context = context_for(fleet, flow, cluster, cluster_params(base, flow, cluster))
        out = []
        try:
            for doc, _, problems in rendered_objects(templates, context, flow.origin.file, grants):
                out += [doc.problem(path, f"flow `{flow.name}` (space `{flow.space}`) on cluster `{cluster.name}`: "
                                    f"{message}", hint, code)
                        for path, message, hint, code in problems if code not in _STATIC_CODES]
        except TemplateError:
            return []  # `hubctl render` reports it, with the cluster
        if out:
            return out  # one rendering's problems are enough to fix
    return []


def flow_tenancy_problems(fleet: Fleet, flow: Flow, placements, bad_files: set[str]) -> list[Problem]:
    """Objects of `flow` that would leave its space or that its AppProject would refuse.

    `bad_files` holds the files that already have problems: a blueprint with problems is not rendered.
    """
    blueprint = fleet.blueprints.get(flow.blueprint) if flow.blueprint else None
    if blueprint is None or flow.space not in fleet.spaces or bad_files & {rel for rel, _ in blueprint.templates}:
        return []
    out = _granted_elsewhere(fleet, flow, blueprint)
    key = ("stays_put", blueprint.name)
    if key not in fleet.cache:
        fleet.cache[key] = _stays_put(blueprint)
    if not out and not fleet.cache[key] and flow.origin.file not in bad_files:
        out = _rendered_problems(fleet, flow, placements)
    return out
