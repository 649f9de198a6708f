"""Review a render of several hubs as one: `<hub>/hub/...` and `<hub>/spokes/...` seen as one tree.

The prune guard, the commit message and diff read a render by its paths (`hub/applicationsets/`,
`hub/clusters/`, `spokes/<cluster>/...`). A fleet of several hubs renders one such tree per hub
(hubctl.usecases.render.hubsplit); `flattened` shows them as one, so that what the fleet deletes is counted once,
whichever hub held it: an Application that moves from a hub to its standby (a failover) is no deletion,
and one that leaves the fleet is one, on any hub. Each hub's ApplicationSets, projects and root stay apart;
spoke files are unique to the hub that manages the cluster, and registrations a primary and its standby
both hold are the same object, taken once (see one_tree_path).
"""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.base.constants import SPACES_APPSET

TREES = ("hub", "spokes")
# The top directories of a render of one hub, never a hub's tree: `variants/<space>/...` with a space named
# `hub` is the variants layout's, not the tree of a hub named `variants` (spec/hubs.py reserves these names).
ONE_HUB_TOPS = (*TREES, "variants", "inventory")
# The directories of a hub's tree that review reads. A hub's variants go to `variants/` of the one tree, so a
# spoke's spaces kustomization finds them where it names them (`../../../variants/...`): they are
# content-addressed, so two hubs holding the same path hold the same bytes.
HUB_TOPS = (*TREES, "variants")


def hub_of(path: str) -> str | None:
    """The hub whose tree holds `path` (`us-hub/hub/...`, `us-hub/variants/...` -> us-hub); None in a render
    of one hub."""
    first, _, rest = path.partition("/")
    return first if first not in ONE_HUB_TOPS and rest.split("/", 1)[0] in HUB_TOPS else None


def is_several(files: Mapping[str, bytes]) -> bool:
    return any(hub_of(path) is not None for path in files)


def one_tree_path(hub: str, rest: str) -> str:
    """Where `<hub>/<rest>` goes in the one tree: spoke files and cluster registrations as they are (one
    cluster, one object, whichever hub holds it); ApplicationSets, AppProjects and the root Application
    per hub (`hub/<kind>/<hub>/<name>.yaml`, `hub/<hub>/root.yaml`): two hubs hold different ones of a name."""
    parts = rest.split("/")
    if parts[0] != "hub" or parts[1:2] == ["clusters"]:
        return rest
    if len(parts) == 2:
        return f"hub/{hub}/{parts[1]}"
    if parts[1] == "applicationsets" and parts[2] == f"{SPACES_APPSET}.yaml":
        return f"hub/applicationsets/{SPACES_APPSET}/{hub}.yaml"
    return "/".join([*parts[:2], hub, *parts[2:]])


class Flattened(Mapping):
    """`files` under their one-tree paths, read through to the original mapping (lazily)."""

    __slots__ = ("_files", "_paths")

    def __init__(self, files: Mapping[str, bytes]):
        self._files, self._paths = files, {}
        for path in files:
            hub = hub_of(path)
            if hub is None:
                self._paths.setdefault(path, path)
                continue
            self._paths.setdefault(one_tree_path(hub, path[len(hub) + 1:]), path)

    def __getitem__(self, path: str) -> bytes:
        return self._files[self._paths[path]]

    def __iter__(self):
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path) -> bool:
        return path in self._paths


def flattened(render):
    """`render` as one tree (itself when it is the render of one hub)."""
    if render is None or not is_several(render.files):
        return render
    from dataclasses import replace

    by_cluster = None if render.by_cluster is None else Flattened(render.by_cluster)
    return replace(render, files=Flattened(render.files), recipes={}, by_cluster=by_cluster)


def spaces_appset_paths(files: Mapping[str, bytes]) -> list[str]:
    """The spaces ApplicationSet(s) of a (flattened) render: one, or one per hub."""
    one = f"hub/applicationsets/{SPACES_APPSET}.yaml"
    prefix = f"hub/applicationsets/{SPACES_APPSET}/"
    return [one] if one in files else [p for p in files if p.startswith(prefix)]
