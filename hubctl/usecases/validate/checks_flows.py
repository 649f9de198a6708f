"""Checks of flows: references, placement, overrides, params against the blueprint, generated names."""

from __future__ import annotations

import difflib
import fnmatch
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from hubctl.base.problems import Problem
from hubctl.spec import selectors
from hubctl.spec.model import SOURCE_VERSION_FIELDS, Fleet, Flow
from hubctl.spec.schema import explained_problems
from hubctl.spec.unresolved import any_of
from hubctl.usecases.render import placement as placing
from hubctl.usecases.render.params import OVERRIDE_LAYERS, base_params, cluster_params, override_keys
from hubctl.usecases.render.template import fingerprint

MAX_NAME = 63


def _hint(word, options, fallback):
    close = difflib.get_close_matches(str(word), sorted(options), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else fallback


RESERVED_FLOWS = {
    "spaces": "its Applications `spaces-<cluster>` are the ones that sync each spoke's spaces",
    "hubctl-spaces": "it is the flow label `hubctl status` gives the Applications that sync each spoke's spaces",
}


def _reference_problems(fleet: Fleet, flow: Flow, doc, unresolved) -> list[Problem]:
    out = []
    if flow.name in RESERVED_FLOWS:
        out.append(doc.problem(("metadata", "name"), f"flow name `{flow.name}` is reserved: "
                               f"{RESERVED_FLOWS[flow.name]}", "rename the flow", "reserved-name"))
    spec = doc.data["spec"]
    if ("Space", flow.space) in unresolved:  # the space exists: its own problem is reported
        pass
    elif flow.space not in fleet.spaces:
        out.append(doc.problem(("spec", "space"), f"unknown space `{flow.space}`",
                               _hint(flow.space, fleet.spaces, "create spaces/<name>.yaml"), "unknown-ref"))
    elif flow.namespace not in fleet.spaces[flow.space].namespaces:
        out.append(doc.problem(("spec", "namespace"), f"namespace `{flow.namespace}` is not one of space "
                               f"`{flow.space}`'s namespaces", "use one of: "
                               + ", ".join(fleet.spaces[flow.space].namespaces), "bad-namespace"))
    if flow.blueprint is None and flow.source is None:
        out.append(doc.problem(("spec",), "a flow needs `blueprint` or `source`",
                               "add `blueprint: http-service` (with params) or a helm/git `source`", "no-source"))
    elif flow.blueprint is not None and flow.source is not None:
        out.append(doc.problem(("spec", "source"), "a flow has either `blueprint` or `source`, not both",
                               "remove one of them", "two-sources"))
    elif flow.blueprint is not None and flow.blueprint not in fleet.blueprints \
            and ("Blueprint", flow.blueprint) not in unresolved:
        out.append(doc.problem(("spec", "blueprint"), f"unknown blueprint `{flow.blueprint}`",
                               _hint(flow.blueprint, fleet.blueprints, "add blueprints/<name>/blueprint.yaml"),
                               "unknown-ref"))
    for rel, message, hint in selectors.selector_problems(spec["placement"].get("selector")):
        out.append(doc.problem(("spec", "placement", "selector") + rel, message, hint, "bad-selector"))
    return out


def _source_repo_problems(fleet: Fleet, flow: Flow, doc, unresolved) -> list[Problem]:
    space = fleet.spaces.get(flow.space)
    if not flow.source or space is None or ("Space", flow.space) in unresolved:
        return []
    kind, source = next(iter(flow.source.items()))
    url = source["repoURL"]
    if any(fnmatch.fnmatchcase(url, pattern) for pattern in space.source_repos):
        return []
    return [doc.problem(("spec", "source", kind, "repoURL"), f"space `{flow.space}` may not use source "
                        f"repository `{url}`", "add it to the space's spec.sourceRepos", "source-repo")]


def _known_keys(fleet: Fleet) -> dict[str, set[str]]:
    if "known_keys" not in fleet.cache:
        fleet.cache["known_keys"] = {
            "env": {c.environment for c in fleet.clusters.values()},
            "region": {c.region for c in fleet.clusters.values()},
            "provider": {"eks", "aks", "gke", "vsphere-rke", "other"},
            "cluster": set(fleet.clusters),
        }
    return fleet.cache["known_keys"]


_FACT = {"env": "env", "region": "region", "provider": "provider", "cluster": "Cluster"}


def _unknown_layer_keys(known: dict[str, set[str]], layers, where: tuple, doc, unresolved) -> list[Problem]:
    """Override entries (spec.overrides, or a source's version overrides at `where`) no cluster matches
    (nor a cluster spec that could not be read)."""
    out = []
    for layer in OVERRIDE_LAYERS:
        for key in layers.get(layer, {}):
            if key not in known[layer] and (_FACT[layer], key) not in unresolved:
                out.append(doc.problem((*where, layer, key), f"no cluster has {layer} `{key}`",
                                       _hint(key, known[layer], f"known: {', '.join(sorted(known[layer]))}"),
                                       "unknown-ref"))
    return out


def _override_problems(fleet: Fleet, flow: Flow, doc, unresolved) -> list[Problem]:
    known = _known_keys(fleet)
    out = _unknown_layer_keys(known, flow.overrides, ("spec", "overrides"), doc, unresolved)
    if flow.version_overrides:
        kind = flow.source_kind
        where = ("spec", "source", kind, SOURCE_VERSION_FIELDS[kind][1])
        out += _unknown_layer_keys(known, flow.version_overrides, where, doc, unresolved)
    for i, region in enumerate(flow.placement.regions):
        if region not in known["region"] and ("region", region) not in unresolved:
            out.append(doc.problem(("spec", "placement", "regions", i), f"no cluster is in region `{region}`",
                                   _hint(region, known["region"], "check the region name"), "unknown-ref"))
    for i, wave in enumerate(flow.rollout):
        for j, env in enumerate(wave.environments):
            if env not in known["env"] and ("env", env) not in unresolved:
                out.append(doc.problem(("spec", "rollout", "waves", i, "environments", j),
                                       f"no cluster has env `{env}`", _hint(env, known["env"], "check the name"),
                                       "unknown-ref"))
    return out


def _placement_problems(fleet: Fleet, flow: Flow, doc, placements, space_read: bool, complete: bool) \
        -> list[Problem]:
    """Placement that cannot be meant. With `complete` False (a cluster or the space could not be read,
    or the placement has its own problems) only what holds whatever those specs say is reported."""
    out = []
    space = fleet.spaces.get(flow.space) if space_read else None
    index = placing.label_index(fleet)
    selected = index.select(flow.placement.selector) - index.select(space.cluster_selector) if space else set()
    forbidden = sorted(n for n in selected
                       if not flow.placement.regions or fleet.clusters[n].region in flow.placement.regions)
    if forbidden:
        shown = ", ".join(forbidden[:5]) + (f" and {len(forbidden) - 5} more" if len(forbidden) > 5 else "")
        out.append(doc.problem(("spec", "placement", "selector"), f"the placement selects cluster(s) {shown}, "
                               f"which space `{flow.space}` may not use", "narrow the selector to the space's "
                               "clusters, or widen the space's clusters.selector", "space-restriction"))
    if not placements and complete:  # with specs that failed to load, "no cluster" may be a consequence
        out.append(doc.problem(("spec", "placement"), "the placement selects no cluster",
                               f"see why with `hubctl placement --explain {flow.name} <cluster>`", "no-placement"))
    elif complete and flow.placement.wanted and len(placing.candidates(fleet, flow)) < flow.placement.wanted:
        # fewer placements for other reasons (capacity, topology) are explained by checks_placement
        asked = ("pick",) if flow.placement.pick is not None else ("spread", "clusters")
        out.append(doc.problem(("spec", "placement", *asked),
                               f"{asked[0]} asks for {flow.placement.wanted} clusters but only "
                               f"{len(placing.candidates(fleet, flow))} match", "lower the number or widen the "
                               "selector", "spread"))
    return out


@lru_cache(maxsize=64)
def _quick_param_check(schema_text: str):
    import json

    from hubctl.spec.fastcheck import compile_schema

    return compile_schema(json.loads(schema_text))


@lru_cache(maxsize=64)
def _param_validator(schema_text: str):
    import json

    from hubctl.spec.ecma import explaining_validator

    return explaining_validator(json.loads(schema_text))


def _params_problems(fleet: Fleet, flow: Flow, doc, placements, unresolved) -> list[Problem]:
    # params merge the hub's, the space's and the blueprint's defaults: with one unread, a param may be there
    if flow.blueprint not in fleet.blueprints or {("Hub", "*"), ("Space", flow.space),
                                                  ("Blueprint", flow.blueprint)} & unresolved:
        return []
    blueprint = fleet.blueprints[flow.blueprint]
    key = ("schema_text", blueprint.name)
    if key not in fleet.cache:
        fleet.cache[key] = fingerprint(blueprint.schema)
    schema_text = fleet.cache[key]
    quick = _quick_param_check(schema_text)
    base = base_params(fleet, flow)
    names = [p.cluster for p in placements]
    _, groups = override_keys(fleet, flow, names)
    first = dict(zip(reversed(groups), reversed(names), strict=True))  # the last write: each key's first cluster
    sets = {group: cluster_params(base, flow, fleet.clusters[first[group]]) for group in dict.fromkeys(groups)}
    counts = Counter(groups)
    if not placements:
        sets[-1] = base
    out, seen = [], set()
    for group, params in sets.items():
        partial = 0 < counts[group] < len(placements)
        for problem in explained_problems(quick, lambda: _param_validator(schema_text), params, doc,
                                          ("spec", "params")):
            if (problem.path, problem.message) in seen:
                continue
            seen.add((problem.path, problem.message))
            suffix = ""
            if partial:
                clusters = [name for name, g in zip(names, groups, strict=True) if g == group]
                suffix = f" (on {', '.join(clusters[:3])}{'...' if len(clusters) > 3 else ''})"
            out.append(replace(problem, message=f"blueprint `{flow.blueprint}`: {problem.message}{suffix}",
                               code="bad-param"))
    return out


def flow_problems(fleet: Fleet, index, unresolved=frozenset()) -> list[Problem]:
    from hubctl.base.constants import SPACES_APPSET
    from hubctl.usecases.render.appsets import appset_name, spaces_app_name

    out: list[Problem] = []
    # generated names: Applications (a spoke's spaces Application included) and ApplicationSet files
    owners: dict[str, str] = {spaces_app_name(name): f"the spaces ApplicationSet for cluster `{name}`"
                              for name in fleet.clusters}
    appset_owners: dict[str, str] = {SPACES_APPSET: "the spaces ApplicationSet"}
    clusters_read = not any_of(unresolved, "Cluster")
    for _, flow in sorted(fleet.flows.items()):
        doc = index[(flow.origin.file, flow.origin.doc)]
        out += _reference_problems(fleet, flow, doc, unresolved)
        out += _source_repo_problems(fleet, flow, doc, unresolved)
        out += _override_problems(fleet, flow, doc, unresolved)
        if doc.pruned:  # parts of it failed the schema: where it lands is not known
            continue
        placements = placing.placements_for(fleet, flow) if flow.space in fleet.spaces else []
        if flow.space in fleet.spaces:
            space_read = ("Space", flow.space) not in unresolved
            complete = clusters_read and space_read and not any(
                p.file == doc.file and p.path.startswith("spec.placement") for p in out)
            out += _placement_problems(fleet, flow, doc, placements, space_read, complete)
        out += _params_problems(fleet, flow, doc, placements, unresolved)
        names = [p.app_name for p in placements]
        if max(map(len, names), default=0) > MAX_NAME:  # the first one too long is reported
            name = next(name for name in names if len(name) > MAX_NAME)
            out.append(doc.problem(("metadata", "name"), f"Application name `{name}` is {len(name)} characters; "
                                   f"the limit is {MAX_NAME}", "shorten the flow or cluster name", "name-too-long"))
        if flow.name in RESERVED_FLOWS:
            continue  # reported as reserved
        set_owner = appset_owners.setdefault(appset_name(flow), f"flow `{flow.name}`")
        if set_owner != f"flow `{flow.name}`":
            out.append(doc.problem(("metadata", "name"), f"ApplicationSet name `{appset_name(flow)}` (space-flow) "
                                   f"is also that of {set_owner}", "rename the flow", "name-collision"))
        if owners.keys().isdisjoint(names):  # the common case, without a Python step per placement
            owners.update(dict.fromkeys(names, f"flow `{flow.name}`"))
            continue
        for p in placements:
            other = owners.setdefault(p.app_name, f"flow `{flow.name}`")
            if other != f"flow `{flow.name}`":
                hint = "rename one of the flows" if other.startswith("flow") else "rename the flow"
                out.append(doc.problem(("metadata", "name"), f"Application name `{p.app_name}` is also generated "
                                       f"by {other}", hint, "name-collision"))
                break
    return out
