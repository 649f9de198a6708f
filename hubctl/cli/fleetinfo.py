"""Small facts about a loaded fleet, for summaries."""

from __future__ import annotations

from hubctl.spec.model import Fleet


def fleet_summary(fleet: Fleet) -> dict[str, int]:
    from hubctl.usecases.render.placement import compute_placements

    return {
        "clusters": len(fleet.clusters),
        "spaces": len(fleet.spaces),
        "flows": len(fleet.flows),
        "blueprints": sum(1 for b in fleet.blueprints.values() if not b.builtin or
                          any(f.blueprint == b.name for f in fleet.flows.values())),
        "placements": len(compute_placements(fleet)),
    }
