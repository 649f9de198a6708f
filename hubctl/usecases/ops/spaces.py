"""Space edits: add, list."""

from __future__ import annotations

from pathlib import Path

from hubctl.usecases.ops.flows import selector_labels
from hubctl.usecases.ops.plan import Plan, open_fleet, plan_edit
from hubctl.usecases.ops.specfiles import new_spec_path, new_spec_text


def space_add(directory: Path, name: str, *, owners: list[str], viewers: list[str] = (),
              namespaces: list[str] = (), source_repos: list[str] = (), selector: list[str] = (),
              description: str | None = None) -> Plan:
    """Plan a new spaces/NAME.yaml: a tenant owned by OWNERS, with NAMESPACES (default: NAME).

    Raises:
        UsageError: bad flags, or a space of that name already exists.
        SpecError: when the fleet with the new space would not validate (a namespace another space has...).
    """
    ws = open_fleet(directory)
    rel = new_spec_path(ws, "Space", name)
    metadata: dict = {"name": name}
    if description:
        metadata["description"] = description
    spec: dict = {"namespaces": list(namespaces) or [name], "owners": list(owners)}
    if viewers:
        spec["viewers"] = list(viewers)
    if selector:
        spec["clusters"] = {"selector": {"matchLabels": selector_labels(list(selector))}}
    if source_repos:
        spec["sourceRepos"] = list(source_repos)
    text = new_spec_text(ws, "Space", {"metadata": metadata, "spec": spec})
    return plan_edit(ws, f"space add {name}", {rel: text})


def space_list(directory: Path) -> list[dict]:
    """Every space with its namespaces, owners, flows, the clusters its flows land on and the clusters
    dedicated to it.

    Raises:
        SpecError: when the specs do not validate.
    """
    from hubctl.usecases.render.placement import compute_placements

    fleet = open_fleet(directory).fleet
    clusters: dict[str, set[str]] = {}
    for p in compute_placements(fleet):
        clusters.setdefault(p.space, set()).add(p.cluster)
    rows = []
    for name, space in sorted(fleet.spaces.items()):
        rows.append({"name": name, "namespaces": list(space.namespaces), "owners": list(space.owners),
                     "flows": sorted(f for f, flow in fleet.flows.items() if flow.space == name),
                     "clusters": sorted(clusters.get(name, set())),
                     "dedicated": sorted(c for c, cluster in fleet.clusters.items() if cluster.dedicated_to == name),
                     "file": space.origin.file})
    return rows
