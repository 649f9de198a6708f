"""The rules that admitted, ranked or refused one cluster for one flow: taints and tolerations, affinity
score, rank, topology skew, capacity, fallback, rollout stage. `placement --explain` prints them; each names
its rule."""

from __future__ import annotations

from hubctl.spec import selectors
from hubctl.spec.model import Cluster, Fleet, Flow
from hubctl.usecases.render import capacity, picking, taints
from hubctl.usecases.render import placement as placing


def _rule(rule: str, held: bool, text: str) -> dict:
    return {"rule": rule, "held": held, "text": text}


def taint_rules(flow: Flow, cluster: Cluster) -> list[dict]:
    out = []
    for taint, by in taints.verdicts(flow, cluster):
        if by:
            out.append(_rule("toleration", True, f"taint {taint} tolerated by {by}"))
        elif taint.key in taints.CODES:
            out.append(_rule("taint", False, f"taint {taint} (hubctl's own: spec."
                                             f"{'dedicatedTo' if taint.key == taints.DEDICATED else 'cordon'})"))
        else:
            out.append(_rule("taint", False, f"taint {taint} not tolerated (add {taints.hint(taint)} to "
                                             "spec.placement.tolerations)"))
    return out


def affinity_rule(flow: Flow, cluster: Cluster) -> list[dict]:
    if not flow.placement.preferred:
        return []
    parts = []
    for term in flow.placement.preferred:
        matched = selectors.matches(term.selector, cluster.labels)
        what = ", ".join(f"{k}={v}" for k, v in term.selector.match_labels.items()) or "selector"
        parts.append(f"{term.weight:+d} {what}" if matched else f"({term.weight:+d} {what}: no match)")
    return [_rule("affinity", True, f"affinity score {picking.affinity_score(flow, cluster)}: {'; '.join(parts)}")]


def _pool(fleet: Fleet, flow: Flow) -> list[Cluster]:
    """The clusters the flow picked among: its candidates, without those full when it came to place."""
    pool = placing.candidates(fleet, flow)
    if capacity.limited(fleet):
        full = set(capacity.allocation(fleet, placing.candidates).full[flow.name])
        pool = [c for c in pool if c.name not in full]
    return pool


def rank_rules(fleet: Fleet, flow: Flow, cluster: Cluster, placed: bool) -> list[dict]:
    wanted = flow.placement.wanted
    pool = _pool(fleet, flow)
    if wanted is None or cluster not in pool:
        return []
    if cluster not in picking.labelled(flow.placement.topology, pool):
        key = next(k.topology_key for k in flow.placement.topology
                   if k.when_unsatisfiable == "DoNotSchedule" and k.topology_key not in cluster.labels)
        return [_rule("skew", False, f"topology {key}: the cluster has no `{key}` label (DoNotSchedule)")]
    pool = picking.labelled(flow.placement.topology, pool)
    order = picking.ranked(flow, pool)
    how = "affinity score, then rendezvous hash" if flow.placement.preferred else "rendezvous hash"
    across = flow.placement.spread.get("across") if flow.placement.spread else None
    how += f"; spread.across {across}: the best of each value first" if across else ""
    out = [_rule("rank", placed, f"ranked {order.index(cluster) + 1} of {len(order)} qualifying clusters "
                                 f"({how}); the flow takes {wanted}")]
    chosen = [c for c in pool if c.name in {p.cluster for p in placing.placements_for(fleet, flow)}]
    for constraint in flow.placement.topology:
        domains = picking.Domains(constraint, pool)
        for c in chosen:
            if c is not cluster:
                domains.add(c)
        key, value = constraint.topology_key, cluster.labels.get(constraint.topology_key)
        if value is None:
            out.append(_rule("skew", True, f"topology {key}: the cluster has no `{key}` label (ScheduleAnyway: "
                                           "taken after the labelled clusters that keep the skew)"))
            continue
        skew = domains.skew_after(cluster)
        out.append(_rule("skew", skew <= constraint.max_skew or placed,
                         f"topology {key}={value}: skew {skew} with this cluster (maxSkew {constraint.max_skew}, "
                         f"{constraint.when_unsatisfiable}; picks per {key} without it: "
                         f"{', '.join(f'{d}={n}' for d, n in domains.counts.items())})"))
    return out


def capacity_rule(fleet: Fleet, flow: Flow, cluster: Cluster, placed: bool) -> list[dict]:
    if not capacity.declares(cluster):
        return []
    alloc = capacity.allocation(fleet, placing.candidates)
    if cluster.name in alloc.full.get(flow.name, []):
        return [_rule("capacity", False, f"full: {alloc.why[flow.name][cluster.name]}, placed first (higher "
                                         "placement.priority, then name)")]
    taken, parts = alloc.taken.get(cluster.name, []), []
    if cluster.capacity_flows is not None:
        parts.append(f"capacity {cluster.capacity_flows} flow(s): {len(taken)} placed ({', '.join(taken) or 'none'})")
    for key, total in cluster.capacity_resources.items():
        users = alloc.used.get(cluster.name, {}).get(key, [])
        used = sum((amount for _, amount in users), capacity.quantity(0))
        parts.append(f"{key} {capacity.shown(used)} of {capacity.shown(capacity.quantity(total))} used"
                     + (f" ({', '.join(f'{f} {capacity.shown(a)}' for f, a in users)})" if users else ""))
    return [_rule("capacity", True, "; ".join(parts))]


def stage_rule(fleet: Fleet, flow: Flow, cluster: Cluster, placed: bool) -> list[dict]:
    """The rollout stage that updates a placed cluster, and whether Argo CD holds it (render/stages.py)."""
    from hubctl.usecases.render import stages

    if not flow.stages or not placed:
        return []
    clusters = [p.cluster for p in placing.placements_for(fleet, flow)]
    index = stages.stage_of(fleet, flow, cluster.name, clusters)
    if index is None:
        return [_rule("stage", False, "no rollout stage selects it: Argo CD's RollingSync never syncs it")]
    stage = flow.stages[index]
    what = (f"rollout stage `{stage.name}` ({index + 1} of {len(flow.stages)}), "
            f"maxUpdate {stages.max_update_text(stage)}")
    waits = stages.waits_for(flow, index, fleet)
    if stages.held(fleet, flow, index):
        return [_rule("stage", False, f"{what}: held until `hubctl rollout approve {flow.name} {stage.name}` "
                                      f"({'; '.join(waits)}): Argo CD syncs none of its Applications")]
    return [_rule("stage", True, f"{what}: {'approved for this release' if waits else 'open'}")]


def rules(fleet: Fleet, flow: Flow, cluster: Cluster, placed: bool) -> list[dict]:
    """Every rule of #18 that admitted, ranked or refused `cluster` for `flow`, in order."""
    from hubctl.usecases.render.fallback import fallback_rule

    out = fallback_rule(fleet, flow, cluster) + taint_rules(flow, cluster) + capacity_rule(fleet, flow, cluster, placed)
    if cluster in placing.candidates(fleet, flow):  # ranking only matters among the qualifying clusters
        out += affinity_rule(flow, cluster) + rank_rules(fleet, flow, cluster, placed)
    return out + stage_rule(fleet, flow, cluster, placed)
