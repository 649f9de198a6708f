"""Placement as people and machines read it: the matrix and the explanation of one cell."""

from __future__ import annotations

from hubctl.render import verdicts
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


def matrix_table(fleet: Fleet, shown: int = 12):
    """A rich Table: one row per flow with the clusters it lands on (readable at any fleet size)."""
    from rich.table import Table

    by_flow: dict[str, list[str]] = {}
    placements = compute_placements(fleet)
    for p in placements:
        by_flow.setdefault(p.flow, []).append(p.cluster)
    spaces = len(spaces_applications(placements))
    table = Table(title=f"placement: {len(placements)} Applications on {len(fleet.clusters)} clusters",
                  header_style="bold", title_justify="left", caption_justify="left",
                  caption=f"+ {spaces} spaces Applications (spaces-<cluster>: each spoke's namespaces, quotas, "
                  f"RBAC); status counts {len(placements) + spaces}")
    for column in ("space", "flow", "from", "clusters", "placed on"):
        table.add_column(column, overflow="fold")
    for name, flow in sorted(fleet.flows.items(), key=lambda kv: (kv[1].space, kv[0])):
        clusters = by_flow.get(name, [])
        listed = ", ".join(clusters[:shown]) + (f" (+{len(clusters) - shown} more)" if len(clusters) > shown else "")
        source = flow.blueprint or next(iter(flow.source))
        table.add_row(flow.space, name, source, str(len(clusters)), listed)
    return table


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
    rules = verdicts.rules(fleet, flow, cluster, placed)
    if not reasons and not placed:
        reasons = [f"{r['rule']}: {r['text']}" for r in rules if not r["held"]] or \
                  [f"not among the {flow.placement.wanted} clusters picked"]
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
    lines += [f"  {'✓' if r['held'] else '✗'} {r['rule']}: {r['text']}" for r in rules]
    lines += [f"  reason: {r}" for r in reasons if not r.startswith(("placement selector", "taint `"))]
    return {"flow": flow_name, "cluster": cluster_name, "placed": placed, "selector": checks,
            "rules": rules, "reasons": reasons, "text": "\n".join(lines)}
