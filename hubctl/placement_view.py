"""Placement as people and machines read it: the matrix and the explanation of one cell."""

from __future__ import annotations

from hubctl.render.placement import compute_placements, exclusions, placements_for
from hubctl.spec import selectors
from hubctl.spec.model import Fleet


def spaces_applications(placements) -> list[dict]:
    """The Applications that sync each spoke's spaces (`spaces-<cluster>`, one per spoke that runs a flow):
    the hub has them besides one Application per placement, and `status` counts them."""
    from hubctl.render.appsets import spaces_app_name

    return [{"application": spaces_app_name(c), "cluster": c} for c in sorted({p.cluster for p in placements})]


def matrix_json(fleet: Fleet) -> dict:
    placements = compute_placements(fleet)
    return {
        "version": 1,
        "clusters": sorted(fleet.clusters),
        "placements": [{"space": p.space, "flow": p.flow, "cluster": p.cluster, "application": p.app_name,
                        "namespace": p.namespace, "env": p.env, "region": p.region} for p in placements],
        "spacesApplications": spaces_applications(placements),
    }


def matrix_table(fleet: Fleet, shown: int | None = 12) -> tuple[list, list[list], str, str]:
    """Columns, rows, title and closing note of the matrix: one row per flow with the clusters it lands on (at most
    `shown` of them named, so it stays readable at any fleet size; None names all)."""
    from hubctl.table import Column

    by_flow: dict[str, list[str]] = {}
    placements = compute_placements(fleet)
    for p in placements:
        by_flow.setdefault(p.flow, []).append(p.cluster)
    spaces = len(spaces_applications(placements))
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
    note = (f"+ {spaces} spaces Applications (spaces-<cluster>: each spoke's namespaces, quotas, RBAC); "
            f"status counts {len(placements) + spaces}")
    return columns, rows, title, note


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
