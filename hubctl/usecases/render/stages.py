"""Staged rollouts (flow `spec.rollout.stages`): which of the flow's clusters each stage updates, which stages
wait, and the RollingSync steps Argo CD runs them with.

What is rendered (docs/specs.md, "Staged rollouts"): one RollingSync step per stage, in order, matching the
Application label `hubctl.io/cluster` In [the stage's clusters]: hubctl resolves each stage's selector against
the placement itself, so a stage may select by any cluster label (Argo CD's steps match Application labels,
with In and NotIn only). A stage that waits (`approval: true`, or the stage before it has `pauseAfter`) and has
no approval for the flow's current release renders `maxUpdate: 0`: Argo CD syncs none of its Applications,
and since a step starts only when every Application of the steps before it is Healthy, no later stage starts
either. Approvals are read from the specs being rendered, so only an approval merged into the rendered commit
counts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from hubctl.base import constants as c
from hubctl.spec import selectors
from hubctl.spec.model import Fleet, Flow, Stage


def release_of(fleet: Fleet, flow: Flow) -> str:
    """The flow's release: a digest of what it deploys (16 hex digits).

    Covers the flow's name, blueprint or source, params, overrides, version overrides, namespace and sync
    policy, its blueprint's templates, schema and defaults, its space's params, namespaces and cluster-scoped
    grants, and the hub's default params and resilience; not its placement or rollout. An approval is for
    one release of one flow: change what the flow deploys and its waiting stages wait again; copied into
    another flow that deploys the same, it approves nothing there.
    """
    from hubctl.spec.build import thaw

    key = ("release", flow.name)
    if key not in fleet.cache:
        blueprint = fleet.blueprints.get(flow.blueprint) if flow.blueprint else None
        space = fleet.spaces.get(flow.space)
        what = {
            "flow": [flow.name, flow.space, flow.namespace, flow.blueprint, thaw(flow.params), thaw(flow.source),
                     thaw(flow.overrides), thaw(flow.version_overrides),
                     asdict(flow.sync_policy) if flow.sync_policy else None],
            "blueprint": [thaw(blueprint.schema), thaw(blueprint.defaults), list(blueprint.templates)]
            if blueprint else None,
            "space": [thaw(space.params), list(space.namespaces),  # templates read space.namespaces
                      list(fleet.hub.cluster_scoped_grants.get(space.name, ()))] if space else None,
            "hub": [thaw(fleet.hub.default_params), asdict(fleet.hub.resilience), asdict(fleet.hub.sync_policy)],
        }
        text = json.dumps(what, sort_keys=True, separators=(",", ":"), default=str)
        fleet.cache[key] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return fleet.cache[key]


def members(fleet: Fleet, flow: Flow, clusters: list[str]) -> list[list[str]]:
    """For each stage, the clusters among `clusters` (the flow's placement) it selects, sorted.

    A cluster two stages select (a validation problem) counts in the first.
    """
    out: list[list[str]] = [[] for _ in flow.stages]
    for name in sorted(clusters):
        labels = fleet.clusters[name].labels
        index = next((i for i, s in enumerate(flow.stages) if selectors.matches(s.selector, labels)), None)
        if index is not None:
            out[index].append(name)
    return out


def across_hubs(fleet: Fleet, flow: Flow) -> frozenset[int]:
    """The stages that run on a hub other than one an earlier stage runs on (in a fleet of several hubs).

    Each hub's ApplicationSet orders only that hub's Applications: a stage on hub B would start as soon as
    B's own earlier stages are Healthy, whatever the earlier stages do on hub A. Such a stage waits for an
    approval. A hub's view of the fleet (render/hubsplit.py) carries the whole fleet's answer in its cache.
    """
    key = ("across_hubs", flow.name)
    if key not in fleet.cache:
        from hubctl.spec.hubs import is_multi, owner_of
        from hubctl.usecases.render.placement import placements_for

        out: set[int] = set()
        if is_multi(fleet):
            owner = owner_of(fleet)
            before: set[str] = set()
            clusters = [p.cluster for p in placements_for(fleet, flow)]
            for i, names in enumerate(members(fleet, flow, clusters)):
                hubs = {owner[n] for n in names if n in owner}
                if hubs and before and len(before | hubs) > 1:
                    out.add(i)
                before |= hubs
        fleet.cache[key] = frozenset(out)
    return fleet.cache[key]


def waits_for(flow: Flow, index: int, fleet: Fleet | None = None) -> list[str]:
    """What stage `index` waits for before it starts, in words (empty: it starts when the one before is done).

    With `fleet`, also the stages before it that run on another hub (across_hubs)."""
    stage = flow.stages[index]
    out = ["approval"] if stage.approval else []
    previous = flow.stages[index - 1] if index else None
    if previous is not None and previous.pause_after:
        out.append(f"pause {previous.pause_after} after {previous.name}")
    if fleet is not None and index in across_hubs(fleet, flow):
        out.append("earlier stages on another hub")
    return out


def approved(fleet: Fleet, flow: Flow, stage: str) -> bool:
    """Whether the specs hold an approval of `stage` for the flow's current release."""
    release = release_of(fleet, flow)
    return any(a.stage == stage and a.release == release for a in flow.approvals)


def held(fleet: Fleet, flow: Flow, index: int) -> bool:
    """Whether stage `index` waits and has no approval for the current release (rendered maxUpdate 0)."""
    return bool(waits_for(flow, index, fleet)) and not approved(fleet, flow, flow.stages[index].name)


def stage_of(fleet: Fleet, flow: Flow, cluster: str, clusters: list[str]) -> int | None:
    """The index of the stage that updates `cluster` (None: no stage, or the flow has none)."""
    return next((i for i, names in enumerate(members(fleet, flow, clusters)) if cluster in names), None)


def max_update_text(stage: Stage) -> str:
    return "100%" if stage.max_update is None else str(stage.max_update)


def rollingsync_steps(fleet: Fleet, flow: Flow, clusters: list[str]) -> list[dict]:
    """The RollingSync steps of a staged flow placed on `clusters`."""
    steps = []
    for i, (stage, names) in enumerate(zip(flow.stages, members(fleet, flow, clusters), strict=True)):
        step: dict = {"matchExpressions": [{"key": c.LABEL_CLUSTER, "operator": "In", "values": names}]}
        if held(fleet, flow, i):
            step["maxUpdate"] = 0
        elif stage.max_update is not None:
            step["maxUpdate"] = stage.max_update
        steps.append(step)
    return steps


def stage_rows(fleet: Fleet, flow: Flow, clusters: list[str]) -> list[dict]:
    """One record per stage: name, clusters, maxUpdate, what it waits for, its approval and its state.

    States: `open` (Argo CD updates it when the stages before it are done), `held` (waits, not approved for
    this release), `approved` (waited, approved for this release).
    """
    release = release_of(fleet, flow)
    rows = []
    for i, (stage, names) in enumerate(zip(flow.stages, members(fleet, flow, clusters), strict=True)):
        waits = waits_for(flow, i, fleet)
        approval = next((a.release for a in flow.approvals if a.stage == stage.name), None)
        state = "held" if held(fleet, flow, i) else "approved" if waits else "open"
        rows.append({"name": stage.name, "clusters": names, "maxUpdate": max_update_text(stage), "waitsFor": waits,
                     "approval": approval, "approvalCurrent": approval == release if approval else None,
                     "state": state})
    return rows
