"""`cluster drain`: flows leave a cluster; spread flows re-place onto other matching clusters.

A drain is a cordon that keeps only the flows that cannot go anywhere else, so it stays a pure
function of the specs (spec.cordon.keep) and `hubctl cluster uncordon` undoes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from hubctl.usecases.ops.clusters import open_cluster, set_cordon
from hubctl.usecases.ops.plan import Plan, plan_edit

_WHY = {"selector": "selector does not match", "space": "not open to its space",
        "dedicated": "dedicated to another space", "region": "outside its regions", "cordon": "cordoned",
        "taint": "a taint it does not tolerate"}


def cluster_drain(directory: Path, name: str, reason: str | None = None) -> Plan:
    """Plan draining NAME: which flows move where, which only leave, which must stay and why.

    Raises:
        UsageError: an unknown cluster.
        SpecError: when the specs do not validate.
    """
    from hubctl.usecases.render.placement import placements_for

    ws, flows = open_cluster(directory, name)
    fleet = ws.fleet
    drained = without_cluster(fleet, name)
    moved, left, stuck = [], [], []
    for flow_name in flows:
        flow = fleet.flows[flow_name]
        before = {p.cluster for p in placements_for(fleet, flow)}
        after = {p.cluster for p in placements_for(drained, flow)}
        why = stuck_reason(drained, flow, len(after))
        if why:
            stuck.append({"flow": flow_name, "space": flow.space, "reason": why})
        elif after - before:
            moved.append({"flow": flow_name, "space": flow.space, "to": sorted(after - before),
                          **fallback_note(fleet, drained, flow)})
        else:
            left.append({"flow": flow_name, "space": flow.space, "remaining": len(after)})
    keep = [s["flow"] for s in stuck]
    rel, text = set_cordon(ws, name, keep, reason)
    notes = [f"{s['space']}/{s['flow']} stays on {name}: {s['reason']}" for s in stuck]
    return plan_edit(ws, f"cluster drain {name}", {rel: text}, notes=notes,
                     details={"cluster": name, "moved": moved, "left": left, "stuck": stuck})


def fallback_note(fleet, drained, flow) -> dict:
    """`{"fallback": words}` when the drain puts the flow on another fallback group (else empty)."""
    from hubctl.usecases.render import fallback
    from hubctl.usecases.render.placement import group_in_force

    group = group_in_force(drained, flow)
    if group is None or group == group_in_force(fleet, flow):
        return {}
    return {"fallback": f"{fallback.group_words(flow, group)} is in force: {fallback.primary_words(drained, flow)}"}


def without_cluster(fleet, name: str):
    """`fleet` with cluster NAME drained (cordoned, keeping nothing), derived values recomputed."""
    clusters = dict(fleet.clusters)
    clusters[name] = replace(clusters[name], cordon_keep=frozenset())
    return replace(fleet, clusters=clusters, cache={})


def stuck_reason(drained, flow, count: int) -> str:
    """Why `flow` cannot leave the drained cluster ("" when it can)."""
    want = flow.placement.wanted or 1
    if count >= want:
        return ""
    from hubctl.usecases.render.placement import excluded_by

    tally: Counter = Counter()
    for cluster in drained.clusters.values():
        reasons = excluded_by(drained, flow, cluster)
        if reasons:
            tally[_WHY[reasons[0][0]]] += 1
    others = ", ".join(f"{words}: {n}" for words, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
    if flow.placement.wanted and count:
        return f"its spread needs {want} clusters and only {count} other(s) match ({others})"
    return f"no other cluster can take it ({others})"
