"""The prune guard: count what a change deletes and refuse more than the limit of each environment.

Deletions are Applications removed, namespaces removed from a spoke and clusters deregistered from the
hub. The limit of an environment is `--max-deletions N` when given, else `maxDeletions.<env>` of
hubctl.yaml, else `maxDeletions.default`; with none of them there is no limit.

The limits are read from the base side of the change (the hubctl.yaml the change starts from), so a
change cannot raise the limit that guards it: raising a limit is itself refused without --allow-prune.
Only where there is no base (a first commit) do the new side's limits apply.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from hubctl.base.constants import LABEL_CLUSTER, LABEL_FLOW
from hubctl.base.errors import ExitCode, HubctlError
from hubctl.spec.model import Fleet
from hubctl.usecases.render.fleet import Render
from hubctl.usecases.review.hubchanges import documents, first_document
from hubctl.usecases.review.hubtrees import flattened
from hubctl.usecases.review.manifests import parse_spoke_path
from hubctl.usecases.review.spacefiles import space_files

SHOWN = 20  # deletions listed in the error message


@dataclass(frozen=True, order=True)
class Deletion:
    """Something the change deletes: an Application, a Namespace or a Cluster registration."""

    env: str
    kind: str  # Application | Namespace | Cluster
    cluster: str
    name: str

    def __str__(self) -> str:
        where = "" if self.kind == "Cluster" else f" on {self.cluster}"
        return f"{self.kind} {self.name}{where} ({self.env or 'no env'})"


@dataclass
class PruneReport:
    """Deletions per environment against their limits. `blocked` when over a limit without --allow-prune."""

    deletions: list[Deletion] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # env -> deletions
    limits: dict[str, int | None] = field(default_factory=dict)  # env -> limit (None: unlimited)
    over: list[str] = field(default_factory=list)  # environments over their limit
    allowed: bool = False  # --allow-prune was given
    raised: list[str] = field(default_factory=list)  # limits the change raises: "prod: 0 -> 5"

    @property
    def blocked(self) -> bool:
        return bool(self.over or self.raised) and not self.allowed


class PruneGuardError(HubctlError):
    """A change deletes more than the prune limit allows; `report` holds the deletions."""

    exit_code = ExitCode.PRUNE_GUARD

    def __init__(self, report: PruneReport):
        parts = []
        if report.raised:
            parts.append(f"this change raises maxDeletions in hubctl.yaml ({', '.join(report.raised)}); the "
                         "limits of the base apply, and a raise passes only with --allow-prune")
        if report.over:
            over = ", ".join(f"{report.counts[env]} deletion{'s' if report.counts[env] != 1 else ''} in "
                             f"{env or 'no env'} (limit {report.limits[env]})" for env in report.over)
            listed = [d for d in report.deletions if d.env in report.over]
            lines = [f"  - {d}" for d in listed[:SHOWN]]
            if len(listed) > SHOWN:
                lines.append(f"  ... and {len(listed) - SHOWN} more")
            parts.append(f"{over}:\n" + "\n".join(lines))
        hint = ("check the deletions; pass --allow-prune to accept them, or --max-deletions N (a raise of "
                "maxDeletions in hubctl.yaml applies from the change after it)")
        if report.raised:
            hint = "review the raised limits (and any deletions), then pass --allow-prune to accept them"
        super().__init__("prune guard: " + "\n".join(parts), hint=hint)
        self.report = report


def limit_for(limits: Mapping[str, int], env: str, override: int | None) -> int | None:
    """The deletion limit of `env`: the override, maxDeletions[env] or ["default"], or None (no limit)."""
    if override is not None:
        return override
    return limits.get(env, limits.get("default"))


def raised_limits(base: Mapping[str, int], new: Mapping[str, int]) -> list[str]:
    """The limits `new` raises over `base`, as "env: old -> new" ("default" stands for unlisted envs)."""
    out = []
    for env in sorted(set(base) | set(new) | {"default"}):
        old, now = limit_for(base, env, None), limit_for(new, env, None)
        if old is not None and (now is None or now > old):
            out.append(f"{env}: {old} -> {'no limit' if now is None else now}")
    return out


def applications(render: Render) -> dict[tuple[str, str], tuple[str, str]]:
    """(flow, cluster) -> (Application name, env) of a render; read from the ApplicationSets when the
    render carries no placements (a render read back from a commit)."""
    if render.placements or not render.files:
        return {(p.flow, p.cluster): (p.app_name, p.env) for p in render.placements}
    envs = cluster_envs(render)
    out = {}
    for path in render.files:  # only the ApplicationSets are read (a committed render reads them from Git)
        if path.startswith("hub/applicationsets/"):
            for flow, cluster in _appset_placements(render.files[path]):
                out[(flow, cluster)] = (f"{flow}-{cluster}", envs.get(cluster, ""))
    return out


_APPSET_FLOW = re.compile(r"^    hubctl\.io/flow: (?P<flow>[a-z0-9][-a-z0-9]*)$", re.M)
_PINNED = re.compile(r"^(?P<indent> *)- key: hubctl\.io/cluster\n(?P=indent)  operator: In\n(?P=indent)  values:\n"
                     r"(?P<values>(?:(?P=indent)  - [a-z0-9][-a-z0-9]*\n)+)", re.M)


def _appset_placements(data: bytes) -> list[tuple[str, str]]:
    """(flow, cluster) of an ApplicationSet: its flow label and the pinned `hubctl.io/cluster In` list.
    Read with regular expressions from our emitter's fixed shape (400 files parse in 2 s, match in 20 ms);
    anything else is parsed as YAML."""
    text = data.decode("utf-8", "replace")
    flow, pinned = _APPSET_FLOW.search(text), _PINNED.search(text)
    if flow and pinned:
        return [(flow.group("flow"), line.strip()[2:]) for line in pinned.group("values").splitlines()]
    return _parsed_appset_placements(data)


def _parsed_appset_placements(data: bytes) -> list[tuple[str, str]]:
    doc = first_document(data, "ApplicationSet")
    flow = ((doc.get("metadata") or {}).get("labels") or {}).get(LABEL_FLOW)
    if not flow:
        return []
    stack, clusters = [doc.get("spec", {}).get("generators", [])], []
    while stack:  # the pinned `hubctl.io/cluster In [...]` expression, inside a merge generator or not
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("key") == LABEL_CLUSTER and item.get("operator") == "In":
                clusters.extend(item.get("values") or [])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return [(flow, c) for c in clusters]


def cluster_envs(render: Render) -> dict[str, str]:
    """cluster -> env, read from the cluster registrations of a render."""
    out = {}
    for path in render.files:
        if path.startswith("hub/clusters/"):
            out[path.split("/")[-1].removesuffix(".yaml")] = _registration_env(render.files[path])
    return out


_ENV_LABEL = re.compile(r"^ +env: (?P<env>[a-z0-9][-a-z0-9]*)$", re.M)


def _registration_env(data: bytes) -> str:
    found = _ENV_LABEL.search(data.decode("utf-8", "replace"))  # our emitter's shape; else parse the YAML
    if found:
        return found.group("env")
    for doc in documents(data):
        labels = (doc.get("metadata") or {}).get("labels") or {}
        template = ((doc.get("spec") or {}).get("target") or {}).get("template") or {}
        labels = {**((template.get("metadata") or {}).get("labels") or {}), **labels}
        if "env" in labels:
            return str(labels["env"])
    return ""


_NAMESPACE = re.compile(r"^kind: Namespace\nmetadata:\n  name: (?P<name>[a-z0-9][-a-z0-9]*)$", re.M)


@lru_cache(maxsize=4096)
def _namespace_names(data: bytes) -> tuple[str, ...]:
    """The Namespaces a spoke space file creates. Our own emitter writes them in one fixed shape, read
    with a regular expression; anything else falls back to parsing the YAML."""
    text = data.decode("utf-8", "replace")
    names = tuple(m.group("name") for m in _NAMESPACE.finditer(text))
    if len(names) == text.count("\nkind: Namespace\n") + text.startswith("kind: Namespace\n"):
        return names
    return tuple(str(d["metadata"]["name"]) for d in documents(data) if d.get("kind") == "Namespace")


def namespaces(render: Render, clusters: set[str] | None = None) -> dict[tuple[str, str], str]:
    """(cluster, namespace) -> space, from the spoke space files of a render (of `clusters` only, if given); in
    the variants layout through each spoke's kustomization to the variants of its spaces."""
    out = {}
    for path in render.files:
        if "/spaces/" in path:
            spoke = parse_spoke_path(path)
            if spoke is not None and spoke.flow is None and (clusters is None or spoke.cluster in clusters):
                for space, data in space_files(render.files, path, spoke.space):
                    out.update({(spoke.cluster, name): space for name in _namespace_names(data)})
    return out


def removed_namespaces(before: Render, after: Render) -> set[tuple[str, str]]:
    """(cluster, namespace) pairs `after` no longer has. Only clusters whose space files changed are read
    (a namespace may move from one space file to another on the same cluster: not a deletion)."""
    touched = set()
    for path in before.files:
        if "/spaces/" in path and not _same(before.files, path, after.files.get(path)):
            spoke = parse_spoke_path(path)
            if spoke is not None and spoke.flow is None:
                touched.add(spoke.cluster)
    if not touched:
        return set()
    return namespaces(before, touched).keys() - namespaces(after, touched).keys()


def _same(files: Mapping[str, bytes], path: str, data: bytes | None) -> bool:
    """Whether `files` holds `data` at `path`; a committed render answers by blob id, reading nothing."""
    if data is None:
        return False
    holds = getattr(files, "holds", None)
    return holds(path, data) if holds is not None else files.get(path) == data


def deletions(before: Render | None, after: Render, fleet_after: Fleet | None = None) -> list[Deletion]:
    """Everything `after` deletes compared with `before` (nothing when there is no `before`), sorted. The
    trees of several hubs count as one (hubctl.usecases.review.hubtrees)."""
    if before is None or not before.files:
        return []
    before, after = flattened(before), flattened(after)

    def env_of(cluster: str) -> str:  # where the deleted object ran: the base's environment of the cluster
        data = before.files.get(f"hub/clusters/{cluster}.yaml")
        if data is not None:
            return _registration_env(data)
        return fleet_after.clusters[cluster].environment if fleet_after and cluster in fleet_after.clusters else ""

    out = []
    old_apps, new_apps = applications(before), applications(after)
    for key in old_apps.keys() - new_apps.keys():
        name, env = old_apps[key]
        out.append(Deletion(env or env_of(key[1]), "Application", key[1], name))
    out += [Deletion(env_of(cluster), "Namespace", cluster, ns) for cluster, ns in removed_namespaces(before, after)]
    gone = [p for p in before.files if p.startswith("hub/clusters/") and p not in after.files]
    for path in gone:
        cluster = path.split("/")[-1].removesuffix(".yaml")
        out.append(Deletion(_registration_env(before.files[path]), "Cluster", cluster, cluster))
    return sorted(out)


def prune_report(before: Render | None, after: Render, fleet_after: Fleet | None, *,
                 base_limits: Mapping[str, int] | None = None, max_deletions: int | None = None,
                 allow_prune: bool = False) -> PruneReport:
    """The deletions of a change, the environments over their limit and the limits it raises (never
    raises). `base_limits` is maxDeletions of the base's hubctl.yaml; None when there is no base."""
    found = deletions(before, after, fleet_after)
    counts = dict(sorted(Counter(d.env for d in found).items()))
    new_limits = fleet_after.hub.max_deletions if fleet_after is not None else {}
    applied = new_limits if base_limits is None else base_limits
    limits = {env: limit_for(applied, env, max_deletions) for env in counts}
    over = [env for env, n in counts.items() if limits[env] is not None and n > limits[env]]
    raised = raised_limits(base_limits, new_limits) if base_limits is not None else []
    return PruneReport(found, counts, limits, over, allow_prune, raised)


def check_prune(before: Render | None, after: Render, fleet_after: Fleet | None, *,
                base_limits: Mapping[str, int] | None = None, max_deletions: int | None = None,
                allow_prune: bool = False) -> PruneReport:
    """The prune guard for `hubctl commit` and `hubctl diff`.

    Args:
        before: the render the change starts from (None for a first commit: nothing is deleted). A render
            read back from Git with no placements works: Applications are read from its ApplicationSets.
        after: the new render. fleet_after: the new fleet (environments of clusters; its limits apply
            only when there is no base).
        base_limits: maxDeletions of the base's hubctl.yaml (the limits that apply), None without a base.
        max_deletions: a limit for every environment, overriding hubctl.yaml.
        allow_prune: accept deletions over the limit, and raised limits.

    Raises:
        PruneGuardError: (exit code 10) when an environment is over its limit, or the change raises a limit
            of the base, and allow_prune is False.
    """
    report = prune_report(before, after, fleet_after, base_limits=base_limits, max_deletions=max_deletions,
                          allow_prune=allow_prune)
    if report.blocked:
        raise PruneGuardError(report)
    return report

