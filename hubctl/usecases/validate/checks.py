"""Semantic checks over the whole fleet: references, names, placement, params, credentials."""

from __future__ import annotations

import difflib

from hubctl.base.constants import LABEL_PREFIX, RESERVED_CLUSTER_LABELS
from hubctl.base.problems import Problem, format_path
from hubctl.engines.yaml.yamlload import Document
from hubctl.spec import selectors
from hubctl.spec.hubs import hub_problems as multi_hub_problems
from hubctl.spec.hubs import hubs_of, in_hubs_dir, is_multi
from hubctl.spec.model import Fleet
from hubctl.spec.renderdir import render_dir_problems
from hubctl.spec.servers import normalize_server
from hubctl.spec.unresolved import HUB, any_of
from hubctl.usecases.render.placement import placements_for
from hubctl.usecases.render.tenancy import is_denied, is_reserved_namespace
from hubctl.usecases.validate.checks_blueprints import blueprint_problems
from hubctl.usecases.validate.checks_flows import flow_problems
from hubctl.usecases.validate.checks_placement import placement_rule_problems
from hubctl.usecases.validate.checks_stages import stage_problems
from hubctl.usecases.validate.checks_tenancy import flow_tenancy_problems
from hubctl.usecases.validate.checks_windows import window_problems


def did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def duplicate_name_problems(docs: dict[str, list[Document]]) -> list[Problem]:
    out = []
    for kind, kind_docs in docs.items():
        seen: dict[str, Document] = {}
        for doc in kind_docs:
            name = (doc.data.get("metadata") or {}).get("name") if isinstance(doc.data.get("metadata"), dict) \
                else None
            if not isinstance(name, str):
                continue
            if kind == "Hub" and seen and not in_hubs_dir(doc.file):
                out.append(doc.problem(("kind",), "a fleet has exactly one Hub spec outside hubs/",
                                       f"remove this one (the first is in {next(iter(seen.values())).file}), "
                                       f"or move it to hubs/{name}.yaml to add a hub", "duplicate-name"))
            elif name in seen:
                first = seen[name]
                out.append(doc.problem(("metadata", "name"), f"{kind} `{name}` is defined twice "
                                       f"(also at {first.file}:{first.where(('metadata', 'name'))[0]})",
                                       "rename or remove one of them", "duplicate-name"))
            seen.setdefault(name, doc)
    return out


def _doc_index(docs: dict[str, list[Document]]) -> dict[tuple[str, int], Document]:
    return {(d.file, d.index): d for kind_docs in docs.values() for d in kind_docs}


def cluster_problems(fleet: Fleet, index, unresolved=frozenset()) -> list[Problem]:
    out = []
    servers: dict[str, str] = {}
    for name, cluster in sorted(fleet.clusters.items()):
        doc = index[(cluster.origin.file, cluster.origin.doc)]
        for key in (doc.data["metadata"].get("labels") or {}):
            if key in RESERVED_CLUSTER_LABELS or key.startswith(LABEL_PREFIX):
                out.append(doc.problem(("metadata", "labels", key), f"label `{key}` is set by hubctl",
                                       "use spec.environment / spec.region / spec.provider instead",
                                       "reserved-label"))
        if cluster.dedicated_to and cluster.dedicated_to not in fleet.spaces \
                and ("Space", cluster.dedicated_to) not in unresolved:
            out.append(doc.problem(("spec", "dedicatedTo"), f"unknown space `{cluster.dedicated_to}`",
                                   did_you_mean(cluster.dedicated_to, fleet.spaces) or "create the space",
                                   "unknown-ref"))
        keep = (doc.data["spec"].get("cordon") or {}).get("keep") or []
        for i, flow in enumerate(keep):
            if flow not in fleet.flows and ("Flow", flow) not in unresolved:
                out.append(doc.problem(("spec", "cordon", "keep", i), f"cordon keeps unknown flow `{flow}`",
                                       did_you_mean(flow, fleet.flows) or "remove it: the flow no longer exists",
                                       "unknown-ref"))
        server = normalize_server(cluster.server)
        if server in servers:
            out.append(doc.problem(("spec", "server"), f"server is also used by cluster `{servers[server]}`",
                                   "Argo CD keys clusters by server URL; give each cluster its own",
                                   "duplicate-server"))
        servers.setdefault(server, name)
    return out


RESERVED_SPACE = "kustomization"  # kustomization.yaml makes Argo CD build the directory with kustomize


def space_problems(fleet: Fleet, index, unresolved=frozenset()) -> list[Problem]:
    out = []
    owner_of: dict[str, str] = {}
    for name, space in sorted(fleet.spaces.items()):
        doc = index[(space.origin.file, space.origin.doc)]
        # the AppProject of the space would replace that one (a hub spec that could not be read: not known)
        admins = sorted(h.name for h in hubs_of(fleet).values() if h.admin_project == name)
        if name == "default" or (admins and HUB not in unresolved):
            whose = f"hub `{admins[0]}`'s admin project" if is_multi(fleet) and admins else "the hub's admin project"
            out.append(doc.problem(("metadata", "name"), f"space name `{name}` is the name of a platform AppProject "
                                   f"({whose}, or Argo CD's `default`)", "rename the space", "reserved-name"))
        if name == RESERVED_SPACE:
            out.append(doc.problem(("metadata", "name"), f"space name `{name}` is reserved: its file would be "
                                   f"spokes/<cluster>/spaces/{name}.yaml, which makes Argo CD build the spaces "
                                   "directory with Kustomize (in the variants layout that file is hubctl's own)",
                                   "rename the space", "reserved-name"))
        for i, namespace in enumerate(space.namespaces):
            path = ("spec", "namespaces", i) if "namespaces" in doc.data["spec"] else ("metadata", "name")
            if namespace in owner_of:
                out.append(doc.problem(path, f"namespace `{namespace}` also belongs to space `{owner_of[namespace]}`",
                                       "each namespace belongs to one space", "namespace-collision"))
            if any(is_reserved_namespace(namespace, fleet.hub.reserved_namespaces, hub.argocd_namespace)
                   for hub in hubs_of(fleet).values()):  # every hub's Argo CD namespace
                out.append(doc.problem(path, f"namespace `{namespace}` is reserved for the platform",
                                       "tenants get their own namespaces (reserved: docs/specs.md, and the hub's "
                                       "spec.tenancy.reservedNamespaces)", "reserved-namespace"))
            owner_of.setdefault(namespace, name)
        for i, other in enumerate(space.network.allow_from_spaces):
            if other not in fleet.spaces and ("Space", other) not in unresolved:
                out.append(doc.problem(("spec", "network", "allowFromSpaces", i), f"unknown space `{other}`",
                                       did_you_mean(other, fleet.spaces) or "create the space", "unknown-ref"))
        selector_data = doc.data["spec"].get("clusters", {}).get("selector")
        for rel, message, hint in selectors.selector_problems(selector_data):
            out.append(doc.problem(("spec", "clusters", "selector") + rel, message, hint, "bad-selector"))
        if not any(selectors.matches(space.cluster_selector, c.labels) for c in fleet.clusters.values()) \
                and not any_of(unresolved, "Cluster"):
            out.append(doc.problem(("spec", "clusters", "selector"), "the space may use no cluster: its "
                                   "selector matches none", "fix the selector or add a cluster", "no-cluster"))
    return out


def hub_problems(fleet: Fleet, docs: dict[str, list[Document]]) -> list[Problem]:
    """Grants of cluster-scoped kinds (spec.tenancy.clusterScopedKinds) to unknown spaces or of denied kinds."""
    hub_doc = next((d for d in docs.get("Hub", []) if d.file == fleet.hub.origin.file and d.valid), None)
    out = []
    if hub_doc is None:  # a stand-in for a hub spec that could not be read: its problems are reported
        return out
    for space, pairs in fleet.hub.cluster_scoped_grants.items():
        path = ("spec", "tenancy", "clusterScopedKinds", space)
        if space not in fleet.spaces:
            out.append(hub_doc.problem(path, f"unknown space `{space}`",
                                       did_you_mean(space, fleet.spaces) or "create the space", "unknown-ref"))
        for i, (group, kind) in enumerate(pairs):
            if is_denied(group, kind):
                out.append(hub_doc.problem((*path, i), f"`{kind}` ({group or 'core'}) cannot be granted: tenant "
                                           "AppProjects deny it", "remove it", "denied-kind"))
    return out


def fleet_problems(fleet: Fleet, docs: dict[str, list[Document]], unresolved=frozenset()) -> list[Problem]:
    """Every semantic problem of a fleet whose documents passed their schemas.

    `unresolved` (spec/unresolved.py) holds what specs that exist but failed to load declare: references
    to them, and conclusions they could change, are not reported (their own problem is).
    """
    index = _doc_index(docs)
    out = cluster_problems(fleet, index, unresolved) + space_problems(fleet, index, unresolved)
    out += hub_problems(fleet, docs) + multi_hub_problems(fleet, index, unresolved) + blueprint_problems(fleet, index)
    out += flow_problems(fleet, index, unresolved)
    out += placement_rule_problems(fleet, index)
    out += window_problems(fleet, index) + stage_problems(fleet, index)
    bad_files = {p.file for p in out}
    for _, flow in sorted(fleet.flows.items()):
        certain = HUB not in unresolved and ("Space", flow.space) not in unresolved
        if flow.space in fleet.spaces and certain and not index[(flow.origin.file, flow.origin.doc)].pruned:
            out += flow_tenancy_problems(fleet, flow, placements_for(fleet, flow), bad_files)
    if (fleet.hub.origin.file, fleet.hub.origin.doc) in index and HUB not in unresolved:
        out += render_dir_problems(fleet, index)
    return _beside_pruned_parts(out, index)


def _beside_pruned_parts(problems: list[Problem], index) -> list[Problem]:
    """`problems` without those at, above or under a part taken out of a document that failed its schema
    (spec/salvage.py): "a flow needs `blueprint`" after `bluepritn:` was taken out is not a second problem."""
    pruned: dict[str, list[str]] = {}
    for (file, _), doc in index.items():
        pruned.setdefault(file, []).extend(format_path(p) for p in doc.pruned)

    def related(a: str, b: str) -> bool:
        return a == b or any(x.startswith(y) and x[len(y)] in ".[" for x, y in ((a, b), (b, a)) if len(x) > len(y))

    return [p for p in problems if not any(related(p.path, gone) for gone in pruned.get(p.file, ()))]
