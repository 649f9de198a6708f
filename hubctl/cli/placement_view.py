"""Placement as people and machines read it: the matrix and the explanation of one cell."""

from __future__ import annotations

from hubctl.base.constants import HUB_FILE
from hubctl.spec import selectors
from hubctl.spec.model import Fleet
from hubctl.spec.unresolved import kind_of_path
from hubctl.usecases.render import verdicts
from hubctl.usecases.render.placement import compute_placements, exclusions, placements_for, selector_in_force


def spaces_applications(placements) -> list[dict]:
    """The Applications that sync each spoke's spaces (`spaces-<cluster>`, one per spoke that runs a flow):
    the hub has them besides one Application per placement, and `status` counts them."""
    from hubctl.usecases.render.appsets import spaces_app_name

    return [{"application": spaces_app_name(c), "cluster": c} for c in sorted({p.cluster for p in placements})]


def matrix_json(fleet: Fleet) -> dict:
    placements = compute_placements(fleet)
    owner = _owners(fleet)
    doc = {
        "version": 1,
        "clusters": sorted(fleet.clusters),
        "placements": [{"space": p.space, "flow": p.flow, "cluster": p.cluster, "application": p.app_name,
                        "namespace": p.namespace, "env": p.env, "region": p.region,
                        **({"hub": owner[p.cluster]} if owner else {})} for p in placements],
        "spacesApplications": spaces_applications(placements),
    }
    if owner:  # several hubs (docs/hubs.md): which hub syncs each placement, and each hub's clusters
        from hubctl.spec.hubs import hubs_of, is_active, managed_by, registered_on

        doc["hubs"] = [{"hub": name, "active": is_active(fleet, hub), "standbyOf": hub.standby_of,
                        "registers": sorted(registered_on(fleet, name)), "manages": sorted(managed_by(fleet, name))}
                       for name, hub in sorted(hubs_of(fleet).items())]
    return doc


def _owners(fleet: Fleet) -> dict[str, str]:
    """Cluster -> the hub that syncs it, in a fleet of several hubs; {} in a fleet of one."""
    from hubctl.spec.hubs import owner_of

    return owner_of(fleet) if len(fleet.hubs) > 1 else {}


def matrix_table(fleet: Fleet, shown: int | None = 12) -> tuple[list, list[list], str, str]:
    """Columns, rows, title and closing note of the matrix: one row per flow with the clusters it lands on (at most
    `shown` of them named, so it stays readable at any fleet size; None names all)."""
    from hubctl.cli.table import Column

    by_flow: dict[str, list[str]] = {}
    placements = compute_placements(fleet)
    for p in placements:
        by_flow.setdefault(p.flow, []).append(p.cluster)
    spaces = len(spaces_applications(placements))
    used, total = len({p.cluster for p in placements}), len(fleet.clusters)
    title = (f"placement: {len(placements)} Application{'s' if len(placements) != 1 else ''} on "
             f"{used if used == total else f'{used} of {total}'} cluster{'s' if total != 1 else ''}")
    columns = [Column("space", whole=True), Column("flow", whole=True), Column("from"), Column("count"),
               Column("clusters")]
    owner = _owners(fleet)
    if owner:  # several hubs: a row per hub and flow, the hub first
        columns.insert(0, Column("hub", whole=True))
    rows = []
    for hub in sorted(set(owner.values())) if owner else [None]:
        for name, flow in sorted(fleet.flows.items(), key=lambda kv: (kv[1].space, kv[0])):
            clusters = [c for c in by_flow.get(name, []) if hub is None or owner.get(c) == hub]
            if hub is not None and not clusters:
                continue
            listed = clusters if shown is None or len(clusters) <= shown else \
                [*clusters[:shown], f"+{len(clusters) - shown} more"]
            source = flow.blueprint or next(iter(flow.source))
            rows.append([*([hub] if hub else []), flow.space, name, source, str(len(clusters)), listed])
    note = (f"+ {spaces} spaces Applications (spaces-<cluster>: each spoke's namespaces, quotas, RBAC); "
            f"status counts {len(placements) + spaces}")
    return columns, rows, title, note


def application_names(fleet: Fleet) -> list[str]:
    """`application/NAME` for every placement (kubectl's -o name)."""
    return [f"application/{p.app_name}" for p in compute_placements(fleet)]


def explain_placement(fleet: Fleet, flow_name: str, cluster_name: str, problems=(), unresolved=frozenset()) -> dict:
    """Why `flow_name` is or is not placed on `cluster_name`; on a fleet with `problems` (an invalid fleet, as
    far as it could be built: spec.loader.Loaded.draft), which of them may change the answer.

    Raises:
        UsageError: when the flow or the cluster does not exist.
        SpecError: when the flow or the cluster exists but its spec could not be read.
    """
    flow, cluster = _named(fleet, "flow", flow_name, fleet.flows, problems, unresolved), \
        _named(fleet, "cluster", cluster_name, fleet.clusters, problems, unresolved)
    placed = any(p.cluster == cluster_name for p in placements_for(fleet, flow)) if flow.space in fleet.spaces \
        else False
    selector = selector_in_force(fleet, flow) if flow.space in fleet.spaces else flow.placement.selector
    checks = [{"held": held, "check": text}  # the fallback group's selector while one is in force
              for held, text in selectors.explain(selector, cluster.labels)]
    reasons = exclusions(fleet, flow, cluster)
    space = fleet.spaces.get(flow.space)
    rules = verdicts.rules(fleet, flow, cluster, placed) if space is not None else []
    if space is None:
        reasons.insert(0, f"its space `{flow.space}` does not exist")
    if not reasons and not placed:
        reasons = [f"{r['rule']}: {r['text']}" for r in rules if not r["held"]] or \
                  [f"not among the {flow.placement.wanted} clusters picked"]
    lines = [f"{flow_name} {'IS' if placed else 'is NOT'} placed on {cluster_name}"]
    lines += [f"  {'✓' if c['held'] else '✗'} {c['check']}" for c in checks]
    lines += _condition_lines(fleet, flow, cluster)
    lines += [f"  {'✓' if r['held'] else '✗'} {r['rule']}: {r['text']}" for r in rules]
    lines += [f"  reason: {r}" for r in reasons]
    uncertain = _uncertain(fleet, flow, cluster, problems, unresolved)
    if uncertain:
        lines.append("uncertain: these problems may change this answer:")
        lines += [f"  {p.location}: {p.path + ': ' if p.path else ''}{p.message}" for p in uncertain]
    elif problems:
        count = len(problems)
        lines.append(f"note: the fleet has {count} problem{'s' if count != 1 else ''} (`hubctl validate` lists "
                     f"{'them' if count != 1 else 'it'}); none in the specs this answer depends on")
    return {"flow": flow_name, "cluster": cluster_name, "placed": placed, "selector": checks,
            "rules": rules, "reasons": reasons, "uncertain": [p.to_dict() for p in uncertain], "text": "\n".join(lines)}


def _named(fleet: Fleet, kind: str, name: str, known, problems, unresolved):
    from hubctl.base.errors import SpecError
    from hubctl.usecases.selection import unknown_name

    if name in known:
        return known[name]
    if (kind.capitalize(), name) in unresolved:
        own = [p for p in problems if _declares(p.file, kind, name)] or \
            [p for p in problems if kind_of_path(p.file) == kind.capitalize()]
        shown = "; ".join(f"{p.location}: {p.message}" for p in own[:3]) or "see `hubctl validate`"
        raise SpecError(own, message=f"{kind} `{name}` could not be read ({shown})", root=fleet.root)
    raise unknown_name(kind, name, known, f"see `hubctl placement` for the {kind}s")


def _declares(file: str, kind: str, name: str) -> bool:
    """Whether `file` is the spec file of `kind` `name` by its place and name (or hubctl.yaml, any kind)."""
    from pathlib import PurePosixPath

    path = PurePosixPath(file)
    return file == HUB_FILE or (kind_of_path(file) == kind.capitalize() and name in (path.stem, path.parent.name))


def _condition_lines(fleet: Fleet, flow, cluster) -> list[str]:
    space = fleet.spaces.get(flow.space)
    if space is None:
        lines = [f"  ✗ space `{flow.space}` does not exist"]
    else:
        lines = [f"  {'✓' if selectors.matches(space.cluster_selector, cluster.labels) else '✗'} "
                 f"space {flow.space} may use it"]
    lines.append(f"  {'✓' if cluster.dedicated_to in (None, flow.space) else '✗'} dedication: "
                 f"{cluster.dedicated_to or 'shared cluster'}")
    if flow.placement.regions:
        lines.append(f"  {'✓' if cluster.region in flow.placement.regions else '✗'} region {cluster.region} in "
                     f"[{', '.join(flow.placement.regions)}]")
    if cluster.cordon_keep is None:
        lines.append("  ✓ cordon: not cordoned")
    else:
        kept = ", ".join(sorted(cluster.cordon_keep)) or "no flow"
        lines.append(f"  {'✓' if flow.name in cluster.cordon_keep else '✗'} cordon: cordoned, keeps only {kept}")
    if flow.placement.wanted:
        lines.append(f"  · {'pick' if flow.placement.pick is not None else 'spread'}: {flow.placement.wanted} of the "
                     "clusters that pass the checks above")
    return lines


def _uncertain(fleet: Fleet, flow, cluster, problems, unresolved) -> list:
    """The problems in the specs the answer depends on: the flow's, the cluster's and the space's files,
    and, when the flow picks N of a pool (spread, pick), every cluster spec (the pool may change)."""
    space = fleet.spaces.get(flow.space)
    files = {flow.origin.file, cluster.origin.file} | ({space.origin.file} if space else set())

    def depends(problem) -> bool:
        if problem.file in files:
            return True
        if problem.file.startswith("spaces/") and space is None and ("Space", flow.space) in unresolved:
            return True
        return bool(flow.placement.wanted) and problem.file.startswith("clusters/")

    return [p for p in problems if depends(p)]
