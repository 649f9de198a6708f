"""Checks of the placement rules of #18: taints, tolerations, pick, preferred terms, topology spread, capacity, fallback
groups.

Every unsatisfiable placement is reported in one run, each with the fix.
"""

from __future__ import annotations

from hubctl.base.constants import LABEL_PREFIX
from hubctl.base.problems import Problem
from hubctl.spec import selectors
from hubctl.spec.model import Fleet, Flow
from hubctl.usecases.render import capacity
from hubctl.usecases.render import placement as placing
from hubctl.usecases.render.picking import Pick, pick

PLACEMENT = ("spec", "placement")


def taint_problems(fleet: Fleet, index) -> list[Problem]:
    out = []
    for _, cluster in sorted(fleet.clusters.items()):
        doc = index[(cluster.origin.file, cluster.origin.doc)]
        for i, taint in enumerate(cluster.taints):
            if taint.key.startswith(LABEL_PREFIX):
                out.append(doc.problem(("spec", "taints", i, "key"), f"taint key `{taint.key}` is reserved for "
                                       "hubctl's own taints", "use spec.cordon or spec.dedicatedTo, or another key",
                                       "reserved-taint"))
    return out


def _shape_problems(flow: Flow, doc) -> list[Problem]:
    out = []
    spec = doc.data["spec"]["placement"]
    if flow.placement.pick is not None and flow.placement.spread:
        out.append(doc.problem((*PLACEMENT, "pick"), "pick and spread both say how many clusters to take",
                               "keep one: pick with topologySpreadConstraints, or spread", "pick"))
    if flow.placement.topology and flow.placement.wanted is None:
        out.append(doc.problem((*PLACEMENT, "topologySpreadConstraints"), "topology spread constraints need a "
                               "number of clusters to spread (a flow without pick lands on every qualifying "
                               "cluster)", "add `pick: N`, or remove topologySpreadConstraints", "topology"))
    for i, toleration in enumerate(flow.placement.tolerations):
        where = (*PLACEMENT, "tolerations", i)
        if toleration.operator == "Exists" and toleration.value:
            out.append(doc.problem((*where, "value"), "operator Exists takes no value", "remove `value`",
                                   "toleration"))
        if not toleration.key and toleration.operator != "Exists":
            out.append(doc.problem(where, "a toleration without a key must use operator Exists (it then "
                                   "tolerates every taint)", "add `key`, or set `operator: Exists`", "toleration"))
    for i, group in enumerate(spec.get("fallback") or ()):
        for rel, message, hint in selectors.selector_problems(group.get("selector")):
            out.append(doc.problem((*PLACEMENT, "fallback", i, "selector", *rel), message, hint, "bad-selector"))
    for i, term in enumerate(spec.get("preferred") or ()):
        for rel, message, hint in selectors.selector_problems(term.get("selector")):
            out.append(doc.problem((*PLACEMENT, "preferred", i, "selector", *rel), message, hint, "bad-selector"))
    return out


def _fallback_problems(fleet: Fleet, flow: Flow, doc) -> list[Problem]:
    """A fallback group that selects no cluster the flow may ever use (whatever is cordoned or tainted)."""
    from hubctl.usecases.render.fallback import group_words

    out = []
    allowed = placing.space_selected(fleet, flow.space)
    for i, group in enumerate(flow.placement.fallback):
        names = placing.label_index(fleet).select(group.selector) & allowed
        names = {n for n in names if fleet.clusters[n].dedicated_to in (None, flow.space)
                 and (not flow.placement.regions or fleet.clusters[n].region in flow.placement.regions)}
        if not names:
            regions = f" in the flow's regions [{', '.join(flow.placement.regions)}]" if flow.placement.regions else ""
            out.append(doc.problem(
                (*PLACEMENT, "fallback", i, "selector"),
                f"{group_words(flow, i)} selects no cluster space `{flow.space}` may use{regions}, so it can never "
                "qualify", "widen the group's selector, or remove the group", "fallback"))
    return out


def _topology_problems(fleet: Fleet, flow: Flow, doc, result) -> list[Problem]:
    out = []
    got = len(result.chosen)
    for constraint, domains in result.short:
        i = flow.placement.topology.index(constraint)
        key = constraint.topology_key
        out.append(doc.problem(
            (*PLACEMENT, "topologySpreadConstraints", i),
            f"topology spread over `{key}` (maxSkew {constraint.max_skew}) places only {got} of the "
            f"{flow.placement.wanted} clusters asked for: {_plural(domains, 'domain')} "
            f"{', '.join(f'{key}={d}' for d in domains)} {'has' if len(domains) == 1 else 'have'} no qualifying "
            "cluster left", f"add clusters with {' or '.join(f'{key}={d}' for d in domains)}, raise maxSkew, "
            f"lower the count to {got}, or set `whenUnsatisfiable: ScheduleAnyway`", "topology"))
    return out


def _plural(items, word: str) -> str:
    return word if len(items) == 1 else word + "s"


def _capacity_problems(fleet: Fleet, flow: Flow, doc, result) -> list[Problem]:
    alloc = capacity.allocation(fleet, placing.candidates)
    full = alloc.full.get(flow.name, [])
    wanted = flow.placement.wanted
    if not full or (wanted is not None and len(result.chosen) >= wanted):
        return []
    why = alloc.why[flow.name]
    where = "; ".join(f"{name} ({fleet.clusters[name].origin}: {why[name]})" for name in full)
    what = (f"did not fit on {len(full)} of its clusters" if wanted is None else
            f"fits on only {len(result.chosen)} of the {wanted} clusters it asks for")
    keys = sorted({"flows" if why[name].startswith("capacity ") else why[name].split(":")[0] for name in full})
    return [doc.problem(PLACEMENT, f"flow `{flow.name}` {what}: full: {where} (flows take capacity by "
                        "placement.priority, highest first, then by name)",
                        f"raise {' and '.join(f'spec.capacity.{k}' for k in keys)} on those clusters, give this "
                        "flow a higher placement.priority, or narrow its selector"
                        + (" or lower its count" if wanted else "")
                        + (" or its spec.placement.requests" if keys != ["flows"] else ""), "capacity")]


def placement_rule_problems(fleet: Fleet, index) -> list[Problem]:
    """Problems of taints, tolerations, pick, preferred terms, topology spread and capacity, for every spec."""
    out = taint_problems(fleet, index)
    for _, flow in sorted(fleet.flows.items()):
        doc = index[(flow.origin.file, flow.origin.doc)]
        out += _shape_problems(flow, doc)
        if flow.space in fleet.spaces:
            out += _fallback_problems(fleet, flow, doc)
        if flow.space not in fleet.spaces or not (flow.placement.topology or capacity.limited(fleet)):
            continue
        if capacity.limited(fleet):
            alloc = capacity.allocation(fleet, placing.candidates)
            result = Pick(alloc.chosen[flow.name], alloc.short[flow.name])
        else:
            result = pick(flow, placing.candidates(fleet, flow))
        if flow.placement.wanted is None or len(placing.candidates(fleet, flow)) >= flow.placement.wanted:
            out += _topology_problems(fleet, flow, doc, result)
        out += _capacity_problems(fleet, flow, doc, result)
    return out

