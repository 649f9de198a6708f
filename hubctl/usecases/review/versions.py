"""Source version changes: the chart version or git targetRevision that external flows' Applications move to."""

from __future__ import annotations

from dataclasses import dataclass

from hubctl.spec.model import Fleet
from hubctl.usecases.render.params import source_version, version_key
from hubctl.usecases.render.placement import Placement


@dataclass(frozen=True)
class VersionChange:
    """Clusters of one flow whose Application moves from one source version to another."""

    space: str
    flow: str
    key: str  # source.helm.version | source.git.targetRevision
    old: str
    new: str
    clusters: tuple[str, ...]


def version_changes(before: Fleet | None, after: Fleet | None, placed_before: list[Placement],
                    placed_after: list[Placement]) -> list[VersionChange]:
    """Per external flow, the clusters it stays on whose source version changes, grouped by old and new
    version; sorted by space, flow and clusters. New and removed placements are the placement delta's."""
    if before is None or after is None:
        return []
    kept = {(p.flow, p.cluster) for p in placed_before}
    grouped: dict[tuple[str, str, str, str, str], list[str]] = {}
    for p in sorted(placed_after):
        old_flow, new_flow = before.flows.get(p.flow), after.flows[p.flow]
        if (p.flow, p.cluster) not in kept or old_flow is None or new_flow.source_kind is None:
            continue
        old = source_version(old_flow, before.clusters[p.cluster])
        new = source_version(new_flow, after.clusters[p.cluster])
        if old is not None and old != new:
            grouped.setdefault((p.space, p.flow, version_key(new_flow), old, new), []).append(p.cluster)
    return sorted((VersionChange(*key, tuple(clusters)) for key, clusters in grouped.items()),
                  key=lambda c: (c.space, c.flow, c.clusters))
