"""The render of a fleet of several hubs: one tree per hub, `<hub>/hub/...` and `<hub>/spokes/...`.

Placement is computed once for the whole fleet (a flow spreads over the clusters of every hub); each hub's
share is then rendered by the single-hub render from a view of the fleet: that hub's settings, the
clusters it registers, and the placements on the clusters it manages (spec/hubs.py). A passive hub (a
standby, or a primary whose standby is active) gets its root Application, the projects and its cluster
registrations, but no ApplicationSet and no spoke file: it syncs nothing. `render --hub NAME` writes the
same share alone, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.base.errors import UsageError
from hubctl.spec.hubs import hubs_of, managed_by, registered_on
from hubctl.spec.model import Fleet


class PrefixedFiles(Mapping):
    """The files of several renders under one prefix each; read lazily, in path order."""

    __slots__ = ("_parts", "_order")

    def __init__(self, parts: dict[str, Mapping[str, bytes]]):
        self._parts = parts
        self._order = sorted(f"{prefix}/{rel}" for prefix, files in parts.items() for rel in files)

    def _split(self, path: str) -> tuple[Mapping[str, bytes] | None, str]:
        prefix, _, rel = path.partition("/")
        return self._parts.get(prefix), rel

    def __getitem__(self, path: str) -> bytes:
        files, rel = self._split(path)
        if files is None:
            raise KeyError(path)
        return files[rel]

    def __contains__(self, path) -> bool:
        files, rel = self._split(path) if isinstance(path, str) else (None, "")
        return files is not None and rel in files

    def __iter__(self):
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def hub_view(fleet: Fleet, name: str) -> Fleet:
    """The fleet as hub `name` renders it: its settings, the clusters it registers, the flows placed on the
    clusters it manages, and (already computed) exactly those placements."""
    from hubctl.usecases.render.placement import compute_placements
    from hubctl.usecases.render.stages import across_hubs

    managed = managed_by(fleet, name)
    placements = [p for p in compute_placements(fleet) if p.cluster in managed]
    placed_flows = {p.flow for p in placements}
    registered = registered_on(fleet, name)
    cache: dict = {"placements": placements, "managed_clusters": managed}  # interop publishes only these
    cache.update((("across_hubs", f), across_hubs(fleet, fleet.flows[f])) for f in placed_flows
                 if fleet.flows[f].stages)  # a view has one hub: the stage order across hubs is the fleet's
    return Fleet(fleet.root, hubs_of(fleet)[name], {n: c for n, c in fleet.clusters.items() if n in registered},
                 fleet.spaces, {n: f for n, f in fleet.flows.items() if n in placed_flows}, fleet.blueprints,
                 fleet.spec_hash, cache=cache)


def check_hub(fleet: Fleet, name: str) -> None:
    """Raises UsageError (exit 2) when the fleet has no hub `name`."""
    if name not in hubs_of(fleet):
        import difflib

        close = difflib.get_close_matches(name, sorted(hubs_of(fleet)), n=1)
        raise UsageError(f"no hub `{name}` in the fleet (hubs: {', '.join(sorted(hubs_of(fleet)))})",
                         hint=f"did you mean `{close[0]}`?" if close else "name a hub of hubctl.yaml or hubs/")


def fleet_of_hub(fleet: Fleet, name: str) -> Fleet:
    """What to render for hub `name` alone: its view in a fleet of several hubs, the fleet itself in a fleet
    of one (its tree is the whole render).

    Raises:
        UsageError: no such hub.
    """
    check_hub(fleet, name)
    return hub_view(fleet, name) if fleet.hubs else fleet


def render_hubs(fleet: Fleet, texts, render_one):
    """Every hub's share rendered by `render_one(view, texts)` (the single-hub render), each under `<hub>/`:
    the files, their recipes, and (in the variants layout, else None) the spoke files per cluster.

    Raises:
        TemplateError: a blueprint could not be rendered.
    """
    parts, per_cluster, recipes = {}, {}, {}
    for name in sorted(fleet.hubs):
        share = render_one(hub_view(fleet, name), texts)
        parts[name] = share.files
        per_cluster[name] = share.spoke_files  # the same files, but in the variants layout
        recipes.update({f"{name}/{rel}": recipe for rel, recipe in share.recipes.items()})
    by_cluster = None if all(per_cluster[n] is parts[n] for n in parts) else PrefixedFiles(per_cluster)
    return PrefixedFiles(parts), recipes, by_cluster
