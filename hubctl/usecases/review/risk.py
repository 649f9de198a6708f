"""The risk summary a reviewer reads first: production clusters touched, spaces affected, permissions widened."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hubctl.spec.model import Fleet
from hubctl.usecases.render.appsets import appset_name
from hubctl.usecases.review.hubchanges import HubChange, documents, first_document
from hubctl.usecases.review.manifests import DiffGroup
from hubctl.usecases.review.placements import FlowDelta


@dataclass(frozen=True)
class Widening:
    """A permission the change grants: `what` is source-repos, destinations, cluster-resources,
    project-groups or role-bindings; `target` the object; `items` what is new; `clusters` where."""

    what: str
    target: str
    items: tuple[str, ...]
    clusters: tuple[str, ...] = ()


@dataclass
class Risk:
    production_clusters: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)  # every cluster touched
    spaces: list[str] = field(default_factory=list)
    widened: list[Widening] = field(default_factory=list)


def production_envs(*fleets: Fleet | None) -> set[str]:
    """`prod` and the hub's resilience environments (either side)."""
    envs = {"prod"}
    for fleet in fleets:
        if fleet is not None:
            envs.update(fleet.hub.resilience.environments)
    return envs


def _new(old: list, new: list) -> list:
    return [item for item in new if item not in old]


def _destination(d: Mapping) -> str:
    return f"{d.get('name') or d.get('server')}/{d.get('namespace')}"


def project_widenings(change: HubChange, old: bytes | None, new: bytes | None) -> list[Widening]:
    """What an AppProject newly allows: source repositories, destinations, cluster-scoped kinds, groups."""
    before = first_document(old, "AppProject").get("spec") or {}
    after = first_document(new, "AppProject").get("spec") or {}
    target = f"AppProject {change.name}"
    found = [
        Widening("source-repos", target, tuple(_new(before.get("sourceRepos") or [], after.get("sourceRepos") or []))),
        Widening("destinations", target, tuple(_destination(d) for d in _new(
            before.get("destinations") or [], after.get("destinations") or []))),
        Widening("cluster-resources", target, tuple(f"{r.get('group') or 'core'}/{r.get('kind')}" for r in _new(
            before.get("clusterResourceWhitelist") or [], after.get("clusterResourceWhitelist") or []))),
    ]
    old_roles = {r.get("name"): r.get("groups") or [] for r in before.get("roles") or []}
    for role in after.get("roles") or []:
        groups = _new(old_roles.get(role.get("name"), []), role.get("groups") or [])
        found.append(Widening("project-groups", f"{target} role {role.get('name')}", tuple(groups)))
    return [w for w in found if w.items]


def binding_widenings(groups: list[DiffGroup], old: Mapping[str, bytes],
                      new: Mapping[str, bytes]) -> list[Widening]:
    """New RoleBindings, or new subjects in them, in spoke space files; one entry per binding and groups."""
    where: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for group in groups:
        if group.kind != "space" or group.change != "changed":  # a space arriving on a cluster is placement
            continue
        for spoke in group.files:
            before = _subjects(old.get(spoke.path))
            for binding, subjects in _subjects(new.get(spoke.path)).items():
                added = tuple(s for s in subjects if s not in before.get(binding, ()))
                if added:
                    where.setdefault((binding, added), []).append(spoke.cluster)
    return [Widening("role-bindings", f"RoleBinding {binding}", items, tuple(sorted(clusters)))
            for (binding, items), clusters in sorted(where.items())]


def _subjects(data: bytes | None) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    out = {}
    for doc in documents(data):
        if doc.get("kind") == "RoleBinding":
            meta, role = doc.get("metadata") or {}, (doc.get("roleRef") or {}).get("name")
            subjects = tuple(f"{s.get('kind')} {s.get('name')} ({role})" for s in doc.get("subjects") or [])
            out[f"{meta.get('namespace')}/{meta.get('name')}"] = subjects
    return out


def _pinned_only(diff: str, cluster_names: set[str]) -> bool:
    """True when every changed line of an ApplicationSet diff is an entry `- <cluster>` of a list."""
    for line in diff.splitlines()[2:]:
        if line[:1] in "+-":
            entry = line[1:].strip()
            if not (entry.startswith("- ") and entry[2:].strip("'\"") in cluster_names):
                return False
    return True


def appset_clusters(old: bytes | None, new: bytes | None, diff: str = "",
                    cluster_names: set[str] = frozenset(), registrations=None) -> set[str] | None:
    """Clusters whose Application an ApplicationSet change alters; None when it alters all of them.

    A change to the pinned cluster list alone is a placement change (reported there), not a change to
    the Applications that stay; it is recognised from the diff without parsing the YAML. A changed
    template is judged by the Applications both sides generate (hubctl's own expansion, with the cluster
    Secrets `registrations(side)` gives for "old" and "new"): only clusters whose Application differs
    count. A changed syncPolicy or rollout strategy touches every Application.
    """
    if old is None or new is None or (diff and _pinned_only(diff, cluster_names)):
        return set()
    before, after = first_document(old, "ApplicationSet"), first_document(new, "ApplicationSet")
    b, a = before.get("spec") or {}, after.get("spec") or {}
    if any(b.get(k) != a.get(k) for k in ("syncPolicy", "strategy")):
        return None
    if any(b.get(k) != a.get(k) for k in ("template", "templatePatch")):
        return _generated_changes(before, after, registrations) if registrations else None
    old_el, new_el = _elements(b), _elements(a)
    return {name for name, element in new_el.items() if name in old_el and old_el[name] != element}


def _generated_changes(before: dict, after: dict, registrations) -> set[str] | None:
    """Destination clusters of the Applications that differ between the sides (or that one side alone
    generates, as when a template renames them); None when either side cannot be expanded (then every
    cluster counts)."""
    from hubctl.engines.appset import AppSetError, expand
    from hubctl.engines.appset.clusters import load_cluster_secrets

    try:
        old = {app["metadata"]["name"]: app for app in expand(before, clusters=registrations("old"))}
        new = {app["metadata"]["name"]: app for app in expand(after, clusters=registrations("new"))}
        changed = [app for name, app in new.items() if old.get(name) != app]
        changed += [app for name, app in old.items() if name not in new]
        servers = {c.server: c.name for side in ("old", "new") for c in load_cluster_secrets(registrations(side))}
        clusters = {_destination_cluster(app, servers) for app in changed}
    except (AppSetError, KeyError, TypeError, AttributeError):
        return None
    return None if "" in clusters else clusters


def _destination_cluster(app: dict, servers: Mapping[str, str]) -> str:
    """The cluster an Application deploys to, by name or by server URL ("" when neither is known)."""
    destination = app["spec"]["destination"]
    return str(destination.get("name") or servers.get(str(destination.get("server")), ""))


def cluster_secrets(files: Mapping[str, bytes]) -> list[dict]:
    """The Argo CD cluster Secrets the rendered cluster registrations in `files` stand for."""
    from hubctl.engines.appset import secret_from_registration

    return [secret for path, data in files.items() if path.startswith("hub/clusters/")
            for doc in documents(data) if (secret := secret_from_registration(doc)) is not None]


def _elements(spec: Mapping) -> dict[str, object]:
    stack, out = [spec.get("generators") or []], {}
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "list" in item and isinstance(item["list"], dict):
                out.update({e.get("name"): e for e in item["list"].get("elements") or [] if isinstance(e, dict)})
            stack.extend(v for k, v in item.items() if k != "list")
        elif isinstance(item, list):
            stack.extend(item)
    return out


def summarise(before: Fleet | None, after: Fleet | None, deltas: list[FlowDelta], hub: list[HubChange],
              groups: list[DiffGroup], old: Mapping[str, bytes], new: Mapping[str, bytes],
              flow_clusters: Mapping[str, set[str]]) -> Risk:
    """The risk summary of a review (see Risk). `flow_clusters`: flow -> clusters it lands on, either side."""
    clusters: set[str] = set()
    spaces: set[str] = set()
    widened: list[Widening] = []
    for delta in deltas:
        spaces.add(delta.space)
        clusters.update(c.cluster for c in delta.added + delta.removed)
    for group in groups:
        spaces.update(group.spaces)
        clusters.update(group.clusters)
    appset_flows = {appset_name(flow): flow for fleet in (before, after) if fleet for flow in fleet.flows.values()}
    space_names = {name for fleet in (before, after) if fleet for name in fleet.spaces}
    cluster_names = {name for fleet in (before, after) if fleet for name in fleet.clusters}
    secrets: dict[str, list[dict]] = {}

    def registrations(side: str) -> list[dict]:  # parsed once per side, only when a template changed
        if side not in secrets:
            secrets[side] = cluster_secrets(old if side == "old" else new)
        return secrets[side]

    for change in hub:
        old_data, new_data = old.get(change.path), new.get(change.path)
        if change.kind == "AppProject":
            widened += project_widenings(change, old_data, new_data)
            spaces.update({change.name} & space_names)
        elif change.kind == "Cluster":
            clusters.add(change.name)
        elif change.kind == "ApplicationSet" and change.name in appset_flows:
            flow = appset_flows[change.name]
            spaces.add(flow.space)
            altered = appset_clusters(old_data, new_data, change.diff, cluster_names, registrations)
            clusters.update(flow_clusters.get(flow.name, set()) if altered is None else altered)
    widened += binding_widenings(groups, old, new)
    prod = production_envs(before, after)
    in_prod = {name for fleet in (before, after) if fleet
               for name, c in fleet.clusters.items() if c.environment in prod}  # on either side
    return Risk(sorted(clusters & in_prod), sorted(clusters), sorted(spaces), widened)
