"""Placement as people and machines read it: the matrix and the explanation of one cell."""

from __future__ import annotations

from hubctl.render.placement import compute_placements, exclusions, placements_for
from hubctl.spec import selectors
from hubctl.spec.model import Fleet


def matrix_json(fleet: Fleet) -> dict:
    placements = compute_placements(fleet)
    return {
        "version": 1,
        "clusters": sorted(fleet.clusters),
        "placements": [{"space": p.space, "flow": p.flow, "cluster": p.cluster, "application": p.app_name,
                        "namespace": p.namespace, "env": p.env, "region": p.region} for p in placements],
    }


def matrix_table(fleet: Fleet, shown: int | None = 12) -> tuple[list, list[list], str]:
    """Columns, rows and title of the matrix: one row per flow with the clusters it lands on (at most
    `shown` of them named, so it stays readable at any fleet size; None names all)."""
    from hubctl.table import Column

    by_flow: dict[str, list[str]] = {}
    placements = compute_placements(fleet)
    for p in placements:
        by_flow.setdefault(p.flow, []).append(p.cluster)
    title = f"placement: {len(placements)} Applications on {len(fleet.clusters)} clusters"
    columns = [Column("space", whole=True), Column("flow", whole=True), Column("from"), Column("count"),
               Column("clusters")]
    rows = []
    for name, flow in sorted(fleet.flows.items(), key=lambda kv: (kv[1].space, kv[0])):
        clusters = by_flow.get(name, [])
        listed = clusters if shown is None or len(clusters) <= shown else \
            [*clusters[:shown], f"+{len(clusters) - shown} more"]
        source = flow.blueprint or next(iter(flow.source))
        rows.append([flow.space, name, source, str(len(clusters)), listed])
    return columns, rows, title


def application_names(fleet: Fleet) -> list[str]:
    """`application/NAME` for every placement (kubectl's -o name)."""
    return [f"application/{p.app_name}" for p in compute_placements(fleet)]


def explain_placement(fleet: Fleet, flow_name: str, cluster_name: str) -> dict:
    """Why `flow_name` is or is not placed on `cluster_name`.

    Raises:
        UsageError: when the flow or the cluster does not exist.
    """
    from hubctl.selection import unknown_name

    if flow_name not in fleet.flows:
        raise unknown_name("flow", flow_name, fleet.flows, "see `hubctl placement` for the flows")
    if cluster_name not in fleet.clusters:
        raise unknown_name("cluster", cluster_name, fleet.clusters, "see `hubctl placement` for the clusters")
    flow, cluster = fleet.flows[flow_name], fleet.clusters[cluster_name]
    placed = any(p.cluster == cluster_name for p in placements_for(fleet, flow))
    checks = [{"held": held, "check": text}
              for held, text in selectors.explain(flow.placement.selector, cluster.labels)]
    reasons = exclusions(fleet, flow, cluster)
    if not reasons and not placed:
        reasons = [f"not among the {flow.placement.spread['clusters']} clusters picked by spread"]
    lines = [f"{flow_name} {'IS' if placed else 'is NOT'} placed on {cluster_name}"]
    lines += [f"  {'✓' if c['held'] else '✗'} {c['check']}" for c in checks]
    space = fleet.spaces[flow.space]
    lines.append(f"  {'✓' if selectors.matches(space.cluster_selector, cluster.labels) else '✗'} "
                 f"space {flow.space} may use it")
    lines.append(f"  {'✓' if cluster.dedicated_to in (None, flow.space) else '✗'} dedication: "
                 f"{cluster.dedicated_to or 'shared cluster'}")
    if flow.placement.regions:
        lines.append(f"  {'✓' if cluster.region in flow.placement.regions else '✗'} region {cluster.region} in "
                     f"[{', '.join(flow.placement.regions)}]")
    lines += [f"  reason: {r}" for r in reasons if not r.startswith("placement selector")]
    return {"flow": flow_name, "cluster": cluster_name, "placed": placed, "selector": checks,
            "reasons": reasons, "text": "\n".join(lines)}
