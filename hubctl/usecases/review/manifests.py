"""Spoke manifest diffs per cluster and flow, folded: an identical change on N clusters is one group."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hubctl.usecases.review.textdiff import counts, normalise, unified

CLUSTER_TOKEN = "<cluster>"
FLOW_TOKEN, SPACE_TOKEN, NAMESPACE_TOKEN = "<flow>", "<space>", "<namespace>"


@dataclass(frozen=True)
class SpokeFile:
    """A rendered spoke file: a flow's manifests (`flow` set) or a space's objects (`flow` None)."""

    path: str
    cluster: str
    space: str
    flow: str | None

    @property
    def kind(self) -> str:
        return "space" if self.flow is None else "flow"


@dataclass
class DiffGroup:
    """One diff text and every spoke file it applies to.

    `diff` names the cluster `<cluster>` when the group spans several clusters, and the flow, space and
    namespace `<flow>`, `<space>`, `<namespace>` when it spans several flows or spaces.
    """

    kind: str  # flow | space
    change: str  # added | removed | changed (the file appears, disappears or changes)
    diff: str
    files: list[SpokeFile] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    @property
    def clusters(self) -> list[str]:
        return sorted({f.cluster for f in self.files})

    @property
    def flows(self) -> list[str]:
        return sorted({f.flow for f in self.files if f.flow})

    @property
    def spaces(self) -> list[str]:
        return sorted({f.space for f in self.files})


def parse_spoke_path(path: str) -> SpokeFile | None:
    """`spokes/<cluster>/flows/<space>/<flow>/manifests.yaml` or `spokes/<cluster>/spaces/<space>.yaml`."""
    parts = path.split("/")
    if len(parts) == 6 and parts[0] == "spokes" and parts[2] == "flows":
        return SpokeFile(path, parts[1], parts[3], parts[4])
    if len(parts) == 4 and parts[0] == "spokes" and parts[2] == "spaces" and parts[3].endswith(".yaml"):
        return SpokeFile(path, parts[1], parts[3][: -len(".yaml")], None)
    return None


def changed_paths(old: Mapping[str, bytes], new: Mapping[str, bytes], prefix: str) -> list[str]:
    """Paths under `prefix` that were added, removed or changed, sorted."""
    out = [p for p, data in new.items() if p.startswith(prefix) and old.get(p) != data]
    out += [p for p in old if p.startswith(prefix) and p not in new]
    return sorted(out)


class _Folder:
    """Computes each distinct (cluster-normalised) diff once and folds equal texts into groups."""

    def __init__(self, namespaces: Mapping[str, str]):
        self.namespaces = namespaces  # flow -> namespace, to fold the same change across flows
        self.diffs: dict[tuple, str] = {}
        self.groups: dict[tuple[str, str], DiffGroup] = {}
        self.local: dict[int, str] = {}  # id(group) -> the one-flow text (cluster normalised only)

    def add(self, spoke: SpokeFile, old: bytes | None, new: bytes | None) -> None:
        tokens = {spoke.cluster: CLUSTER_TOKEN}
        norm_old = normalise(old.decode("utf-8", "replace"), tokens).encode() if old is not None else None
        norm_new = normalise(new.decode("utf-8", "replace"), tokens).encode() if new is not None else None
        path = normalise(spoke.path, tokens)
        key = (path, norm_old, norm_new)
        diff = self.diffs.get(key)
        if diff is None:
            diff = self.diffs[key] = unified(norm_old, norm_new, path)
        names = {spoke.space: SPACE_TOKEN}
        if spoke.flow:
            names = {self.namespaces.get(spoke.flow, ""): NAMESPACE_TOKEN, **names, spoke.flow: FLOW_TOKEN}
        folded = normalise(diff, names)
        group = self.groups.get((spoke.kind, folded))
        if group is None:
            change = "added" if old is None else "removed" if new is None else "changed"
            group = self.groups[(spoke.kind, folded)] = DiffGroup(spoke.kind, change, folded)
            group.added, group.removed = counts(diff)
            self.local[id(group)] = diff
        group.files.append(spoke)

    def result(self) -> list[DiffGroup]:
        out = []
        for group in self.groups.values():
            if len({(f.space, f.flow) for f in group.files}) == 1:
                group.diff = self.local[id(group)]
            if len(group.files) == 1:
                group.diff = group.diff.replace(CLUSTER_TOKEN, group.files[0].cluster)
            group.files.sort(key=lambda f: (f.space, f.flow or "", f.cluster))
            out.append(group)
        first = {"flow": 0, "space": 1}
        return sorted(out, key=lambda g: (first[g.kind], g.files[0].space, g.files[0].flow or "",
                                          g.files[0].cluster, g.diff))


def spoke_groups(old: Mapping[str, bytes], new: Mapping[str, bytes],
                 namespaces: Mapping[str, str]) -> list[DiffGroup]:
    """The folded diff groups of every spoke file that changed between two renders.

    Args:
        old: the base render's files. new: the head render's files.
        namespaces: the namespace of each flow (either side), so that the same change to flows in
            different namespaces folds into one group.
    """
    folder = _Folder(namespaces)
    for path in changed_paths(old, new, "spokes/"):
        spoke = parse_spoke_path(path)
        if spoke is not None:
            folder.add(spoke, old.get(path), new.get(path))
    return folder.result()
