"""`hubctl rollout approve|status|list`: approvals of staged rollouts, recorded in the flow's spec.

An approval is a spec edit like any other (validated, shown as a diff, written atomically under the fleet
lock; then reviewed and committed): `spec.rollout.approvals` gets `{stage, release}` for the flow's current
release (render/stages.py). The render reads approvals from the specs it renders, so an approval counts once
it is in the commit the hub syncs, and only for the release it names.
"""

from __future__ import annotations

from pathlib import Path

from hubctl.base.errors import UsageError
from hubctl.usecases.ops.plan import Plan, open_fleet, plan_edit
from hubctl.usecases.ops.specfiles import child, open_spec
from hubctl.usecases.render import stages as staging
from hubctl.usecases.render.placement import placements_for


def _staged_flow(fleet, ws, name: str):
    flow = fleet.flows.get(name)
    if flow is None:
        open_spec(ws, "Flow", name)  # raises the "did you mean" error
    if not flow.stages:
        raise UsageError(f"flow `{name}` has no rollout stages",
                         hint="add spec.rollout.stages to the flow (docs/specs.md, Staged rollouts)")
    return flow


def rollout_approve(directory: Path, name: str, stage: str) -> Plan:
    """Plan recording an approval of STAGE of flow NAME for the flow's current release.

    Raises:
        UsageError: unknown flow, a flow without stages, an unknown stage, or a stage that does not wait.
        SpecError: when the specs (before or after) do not validate.
    """
    from hubctl.usecases.selection import did_you_mean

    ws = open_fleet(directory)
    fleet = ws.fleet
    flow = _staged_flow(fleet, ws, name)
    names = [s.name for s in flow.stages]
    if stage not in names:
        raise UsageError(f"flow `{name}` has no stage `{stage}`",
                         hint=did_you_mean(stage, names, f"its stages: {', '.join(names)}"))
    if not staging.waits_for(flow, names.index(stage), fleet):
        raise UsageError(f"stage `{stage}` of flow `{name}` does not wait for an approval: Argo CD updates it as "
                         "soon as the stages before it are Healthy",
                         hint="set `approval: true` on the stage to make it wait (docs/specs.md, Staged rollouts)")
    release = staging.release_of(fleet, flow)
    yaml_file, doc = open_spec(ws, "Flow", name)
    approvals = child(doc["spec"], "rollout").setdefault("approvals", [])
    entry = next((a for a in approvals if isinstance(a, dict) and a.get("stage") == stage), None)
    if entry is None:
        from ruamel.yaml.comments import CommentedMap

        approvals.append(CommentedMap([("stage", stage), ("release", release)]))
    elif entry.get("release") != release:  # an approval of an earlier release: replaced in place
        entry["release"] = release
    plan = plan_edit(ws, f"rollout approve {name} {stage}", {yaml_file.rel: yaml_file.result()})
    index = names.index(stage)
    now = staging.max_update_text(flow.stages[index])
    plan.details = {"flow": name, "stage": stage, "release": release,
                    "was": 0 if staging.held(fleet, flow, index) else now, "now": now}
    return plan


def rollout_status(directory: Path, name: str) -> dict:
    """Flow NAME's stages: their clusters, maxUpdate, what each waits for, approvals and what is held.

    Raises:
        UsageError: unknown flow, or a flow without stages.
        SpecError: when the specs do not validate.
    """
    ws = open_fleet(directory)
    fleet = ws.fleet
    flow = _staged_flow(fleet, ws, name)
    return _status(fleet, flow)


def _status(fleet, flow) -> dict:
    clusters = [p.cluster for p in placements_for(fleet, flow)]
    rows = staging.stage_rows(fleet, flow, clusters)
    return {"version": 1, "name": flow.name, "space": flow.space, "release": staging.release_of(fleet, flow),
            "stages": rows, "held": [r["name"] for r in rows if r["state"] == "held"]}


def rollout_list(directory: Path) -> list[dict]:
    """Every flow with rollout stages: its space, stage count and held stages.

    Raises:
        SpecError: when the specs do not validate.
    """
    fleet = open_fleet(directory).fleet
    out = []
    for _, flow in sorted(fleet.flows.items()):
        if flow.stages:
            status = _status(fleet, flow)
            out.append({"name": flow.name, "space": flow.space, "release": status["release"],
                        "stages": [r["name"] for r in status["stages"]], "held": status["held"]})
    return out
