"""Phrases shared by the text and markdown views of a review, so both say the same thing."""

from __future__ import annotations

from collections import Counter

from hubctl.usecases.review.core import Review
from hubctl.usecases.review.manifests import DiffGroup
from hubctl.usecases.review.placements import ClusterChange, FlowDelta
from hubctl.usecases.review.risk import Widening
from hubctl.usecases.review.sides import Side
from hubctl.usecases.review.versions import VersionChange

SHOWN = 8  # names listed before "(+N more)"
HUB_WORDS = {"AppProject": "AppProject", "Cluster": "cluster registration", "ApplicationSet": "ApplicationSet",
             "Application": "root Application"}


def names(items: list[str], shown: int = SHOWN) -> str:
    listed = ", ".join(items[:shown])
    return listed + (f" (+{len(items) - shown} more)" if len(items) > shown else "")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def side_label(side: Side) -> str:
    commit = f" ({side.commit[:12]})" if side.commit else ""
    return f"{side.ref}{commit}"


def title(review: Review) -> str:
    return f"hubctl diff: {side_label(review.base)} → {side_label(review.head)}"


WIDENING_WORDS = {"source-repos": "new source repositories", "destinations": "new destinations",
                  "cluster-resources": "cluster-scoped kinds allowed", "project-groups": "new groups",
                  "role-bindings": "new subjects"}


def widening(w: Widening) -> str:
    where = f" on {plural(len(w.clusters), 'cluster')}" if w.clusters else ""
    return f"{w.target}: {WIDENING_WORDS.get(w.what, w.what)} {names(list(w.items), 5)}{where}"


def deletions_phrase(review: Review) -> str:
    prune = review.prune
    if not prune.deletions:
        return "none"
    parts = []
    for env, n in prune.counts.items():
        limit = prune.limits[env]
        state = ", over" if env in prune.over else ""
        parts.append(f"{n} in {env or 'no env'} (limit {'none' if limit is None else limit}{state})")
    return ", ".join(parts)


def summary_rows(review: Review) -> list[tuple[str, str]]:
    """(label, value) rows of the risk summary, in the order a reviewer reads them."""
    risk = review.risk
    added, removed = review.applications
    moved = sum(1 for d in review.placements if d.change == "moved")
    prod = risk.production_clusters
    return [
        ("production clusters touched", f"{len(prod)}" + (f": {names(prod)}" if prod else "")),
        ("spaces affected", f"{len(risk.spaces)}" + (f": {names(risk.spaces)}" if risk.spaces else "")),
        ("permissions widened", str(len(risk.widened)) if risk.widened else "none"),
        ("Applications", f"+{added} -{removed}" + (f" ({plural(moved, 'flow')} moved)" if moved else "")),
        ("deletions", deletions_phrase(review)),
        ("hub", hub_phrase(review) or "no change"),
        ("manifests", manifests_phrase(review.groups) or "no change"),
    ]


def hub_phrase(review: Review) -> str:
    counts = Counter((c.kind, c.change) for c in review.hub)
    parts = []
    for kind in ("AppProject", "Cluster", "ApplicationSet", "Application"):
        for change in ("added", "changed", "removed"):
            if counts[(kind, change)]:
                parts.append(f"{plural(counts[(kind, change)], HUB_WORDS[kind])} {change}")
    return ", ".join(parts)


def manifests_phrase(groups: list[DiffGroup]) -> str:
    if not groups:
        return ""
    files = sum(len(g.files) for g in groups)
    clusters = len({c for g in groups for c in g.clusters})
    return f"{plural(files, 'file')} on {plural(clusters, 'cluster')} in {plural(len(groups), 'group')}"


def by_reason(changes: list[ClusterChange]) -> list[tuple[str, list[ClusterChange]]]:
    """Cluster changes grouped by reason (in order of first appearance)."""
    out: dict[str, list[ClusterChange]] = {}
    for change in changes:
        out.setdefault(change.reason, []).append(change)
    return list(out.items())


def placement_lines(delta: FlowDelta) -> list[tuple[str, str, str]]:
    """("+" or "-", where, reason) lines of one flow's placement change, clusters grouped by reason."""
    out = []
    for sign, changes in (("+", delta.added), ("-", delta.removed)):
        for reason, group in by_reason(changes):
            if len(group) == 1:
                where = f"{group[0].cluster} ({group[0].env})"
            else:
                where = f"{len(group)} clusters: {names([c.cluster for c in group])}"
            out.append((sign, where, reason))
    return out


def version_line(change: VersionChange) -> str:
    """`dashboards (analytics) source.helm.version: 8.5.2 → 8.6.1 on 2 clusters: prod-eu-1, prod-eu-2`."""
    clusters = list(change.clusters)
    where = f"on {clusters[0]}" if len(clusters) == 1 else f"on {len(clusters)} clusters: {names(clusters)}"
    return f"{change.flow} ({change.space}) {change.key}: {change.old} → {change.new} {where}"


def group_title(group: DiffGroup) -> str:
    """`flow web (storefront) changed on 8 clusters: a, b, ...`."""
    if group.kind == "space":
        what = f"space {names(group.spaces, 3)}"
    elif len(group.flows) == 1:
        what = f"flow {group.flows[0]} ({group.spaces[0]})"
    else:
        what = f"{len(group.flows)} flows ({names(group.flows, 3)})"
    clusters = group.clusters
    where = f"on {clusters[0]}" if len(clusters) == 1 else f"on {len(clusters)} clusters: {names(clusters)}"
    return f"{what} {group.change} {where} (+{group.added} -{group.removed})"


def shown_diff(diff: str, change: str) -> str:
    """The diff as text and markdown show it: a removed file is its header and its size, not every line."""
    if change != "removed":
        return diff
    lines = diff.splitlines(keepends=True)
    removed = sum(1 for line in lines[2:] if line.startswith("-"))
    return "".join(lines[:2]) + f"(file removed: {plural(removed, 'line')})\n"
