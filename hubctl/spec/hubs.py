"""Several hubs in one fleet: which hub manages which cluster, and the checks that keep that unambiguous.

hubctl.yaml holds the fleet's main Hub (and the fleet-wide settings); hubs/<name>.yaml add hubs. Each hub
claims clusters with `spec.clusters` (a label selector and/or names; a hub without it claims every
cluster). A standby (`spec.standby.hub: PRIMARY`) claims nothing of its own: it registers its primary's
clusters, and manages them only while `spec.standby.active` is true, when its primary manages none. Every
cluster must have exactly one active hub (docs/specs.md, "Several hubs").
"""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.base.problems import Problem
from hubctl.base.selectors import matches
from hubctl.spec.model import Fleet, Hub

HUBS_DIR = "hubs"
RESERVED_NAMES = ("hub", "spokes", "variants", "inventory")  # the top directories of a one-hub render


def in_hubs_dir(rel: str) -> bool:
    return rel.startswith(HUBS_DIR + "/")


def all_hubs(main_doc, main: Hub, other_docs) -> dict[str, Hub]:
    """Every hub by name (the main one first) when hubs/ adds any; {} for a fleet of one hub, so that its
    render stays what it was. With several hubs the main hub's repo.path defaults to `<renderDir>/<name>`."""
    from dataclasses import replace

    from hubctl.spec.build import build_other_hub

    if not other_docs:
        return {}
    if "path" not in main_doc.data["spec"]["repo"]:
        main = replace(main, repo_path=f"{main.render_dir}/{main.name}")
    out = {main.name: main}
    for doc in other_docs:
        out.setdefault(doc.data["metadata"]["name"], build_other_hub(doc, main))
    return out


def hubs_of(fleet: Fleet) -> Mapping[str, Hub]:
    """Every hub of the fleet by name: the one of hubctl.yaml alone when hubs/ adds none."""
    return fleet.hubs or {fleet.hub.name: fleet.hub}


def is_multi(fleet: Fleet) -> bool:
    return len(fleet.hubs) > 1


def claimed_by(fleet: Fleet, hub: Hub) -> frozenset[str]:
    """The clusters `hub`'s spec.clusters claims (every cluster without it; none for a standby)."""
    key = ("hub_claims", hub.name)
    if key not in fleet.cache:
        if hub.standby_of is not None:
            names: frozenset[str] = frozenset()
        elif hub.claims is None and not hub.claimed_names:
            names = frozenset(fleet.clusters)
        else:
            names = frozenset(n for n, c in fleet.clusters.items()
                              if n in hub.claimed_names or (hub.claims is not None and matches(hub.claims, c.labels)))
        fleet.cache[key] = names
    return fleet.cache[key]


def primary_of(fleet: Fleet, hub: Hub) -> Hub:
    """The hub whose clusters `hub` registers: itself, or the primary it is the standby of."""
    return hubs_of(fleet).get(hub.standby_of, hub) if hub.standby_of else hub


def is_active(fleet: Fleet, hub: Hub) -> bool:
    """A primary is active unless one of its standbys is; a standby only when it says so."""
    if hub.standby_of is not None:
        return hub.standby_active
    return not any(h.standby_of == hub.name and h.standby_active for h in hubs_of(fleet).values())


def registered_on(fleet: Fleet, name: str) -> frozenset[str]:
    """The clusters hub `name` holds registrations (and project destinations) for."""
    return claimed_by(fleet, primary_of(fleet, hubs_of(fleet)[name]))


def managed_by(fleet: Fleet, name: str) -> frozenset[str]:
    """The clusters hub `name` syncs: those it registers while it is active, none otherwise."""
    hub = hubs_of(fleet)[name]
    return registered_on(fleet, name) if is_active(fleet, hub) else frozenset()


def owner_of(fleet: Fleet) -> dict[str, str]:
    """Cluster name -> the active hub that manages it (the first by name where validation found several)."""
    out: dict[str, str] = {}
    for name in sorted(hubs_of(fleet)):
        for cluster in managed_by(fleet, name):
            out.setdefault(cluster, name)
    return out


def standbys_of(fleet: Fleet, name: str) -> list[str]:
    return sorted(h.name for h in hubs_of(fleet).values() if h.standby_of == name)


def _did_you_mean(word: str, options) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


FLEET_WIDE_HINT = "move it to hubctl.yaml: a hub in hubs/ takes the fleet-wide settings from there"


def hub_problems(fleet: Fleet, index, unresolved=frozenset()) -> list[Problem]:
    """Problems of a fleet's hubs: fleet-wide keys in hubs/, standbys that name no primary, claims of unknown
    clusters, clusters that no active hub or several manage, and hubs sharing one deploy target."""
    from hubctl.spec.build import FLEET_WIDE

    hubs = hubs_of(fleet)
    docs = {name: index.get((h.origin.file, h.origin.doc)) for name, h in hubs.items()}
    if any(doc is None for doc in docs.values()) or ("Hub", "*") in unresolved:
        return []
    out: list[Problem] = []
    for name, hub in sorted(hubs.items()):
        doc = docs[name]
        spec = doc.data["spec"]
        if in_hubs_dir(hub.origin.file):
            out += [doc.problem(("spec", key), f"`spec.{key}` is fleet-wide and is read from hubctl.yaml only",
                                FLEET_WIDE_HINT, "hub-fleet-key") for key in FLEET_WIDE if key in spec]
        out += _standby_problems(fleet, hub, doc)
        if is_multi(fleet) and name in RESERVED_NAMES:  # <renderDir>/<hub>/ beside a one-hub render's dirs
            out.append(doc.problem(("metadata", "name"), f"a hub of several may not be named `{name}`: its tree "
                                   f"`{name}/` would read as the {name}/ directory of a one-hub render",
                                   "rename the hub", "reserved-name"))
        for i, cluster in enumerate(hub.claimed_names):
            if cluster not in fleet.clusters and ("Cluster", cluster) not in unresolved:
                out.append(doc.problem(("spec", "clusters", "names", i), f"unknown cluster `{cluster}`",
                                       _did_you_mean(cluster, fleet.clusters) or "add the cluster or remove the name",
                                       "unknown-ref"))
    if out:
        return out
    return _ownership_problems(fleet, index, docs) + _target_problems(fleet, docs)


def _standby_problems(fleet: Fleet, hub: Hub, doc) -> list[Problem]:
    if hub.standby_of is None:
        return []
    path = ("spec", "standby", "hub")
    primary = hubs_of(fleet).get(hub.standby_of)
    if primary is None:
        return [doc.problem(path, f"unknown hub `{hub.standby_of}`",
                            _did_you_mean(hub.standby_of, hubs_of(fleet)) or "name a hub of hubctl.yaml or hubs/",
                            "unknown-ref")]
    if primary.name == hub.name or primary.standby_of is not None:
        return [doc.problem(path, f"`{hub.standby_of}` is {'this hub' if primary.name == hub.name else 'a standby'}"
                            ": a standby stands in for a primary hub", "name the primary hub", "hub-standby")]
    if "clusters" in doc.data["spec"]:
        return [doc.problem(("spec", "clusters"), "a standby claims no clusters of its own: it manages its "
                            f"primary's (`{primary.name}`) after a failover", "remove spec.clusters",
                            "hub-standby")]
    return []


def _ownership_problems(fleet: Fleet, index, docs) -> list[Problem]:
    hubs = hubs_of(fleet)
    active: dict[str, list[str]] = {}
    for name in sorted(hubs):
        for cluster in managed_by(fleet, name):
            active.setdefault(cluster, []).append(name)
    out = []
    for cluster_name, cluster in sorted(fleet.clusters.items()):
        doc = index[(cluster.origin.file, cluster.origin.doc)]
        owners = active.get(cluster_name, [])
        if not owners:
            out.append(doc.problem(("metadata", "name"), f"cluster `{cluster_name}` is managed by no active hub",
                                   "add it to a hub's spec.clusters (its names or a selector that matches its "
                                   "labels) in hubctl.yaml or hubs/", "hub-claim"))
        elif len(owners) > 1:
            where = ", ".join(f"`{h}` ({_where(docs[h], hubs[h])})" for h in owners)
            out.append(doc.problem(("metadata", "name"), f"cluster `{cluster_name}` is claimed by {len(owners)} "
                                   f"active hubs: {where}; two hubs would sync it at once",
                                   "narrow those hubs' spec.clusters so that exactly one claims it", "hub-claim"))
    return out


def _where(doc, hub: Hub) -> str:
    if hub.standby_of is not None:
        return f"{doc.file}:{doc.where(('spec', 'standby'))[0]} spec.standby.active"
    if hub.claims is None and not hub.claimed_names:
        return f"{doc.file}: no spec.clusters, so every cluster"
    return f"{doc.file}:{doc.where(('spec', 'clusters'))[0]} spec.clusters"


def deploy_target(hub: Hub) -> tuple[str, str, str]:
    """(repository, branch, path) the hub's render is committed to and synced from."""
    return (hub.deploy_repository or hub.repo_url, hub.deploy_branch or hub.repo_branch, hub.repo_path)


def _target_problems(fleet: Fleet, docs) -> list[Problem]:
    seen: dict[tuple[str, str, str], str] = {}
    out = []
    for name, hub in sorted(hubs_of(fleet).items()):
        target = deploy_target(hub)
        if target in seen:
            out.append(docs[name].problem(("spec", "repo"), f"hub `{name}` has the same deploy target as hub "
                                          f"`{seen[target]}` ({target[0]} {target[1]}:{target[2]}): one render "
                                          "would replace the other", "give it its own repo.path or branch",
                                          "hub-target"))
        seen.setdefault(target, name)
    return out
