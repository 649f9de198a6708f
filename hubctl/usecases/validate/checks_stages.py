"""Checks of staged rollouts (flow spec.rollout.stages and approvals): what RollingSync could not run as meant.

A cluster belongs to exactly one stage: a cluster no stage selects would never be synced by Argo CD's
RollingSync (it syncs only Applications a step matches), and one that two stages select would be updated by
the first only, silently. Both are reported with the clusters named, all in one run.
"""

from __future__ import annotations

import difflib

from hubctl.base.problems import Problem
from hubctl.spec import selectors
from hubctl.spec.model import Fleet, Flow
from hubctl.usecases.render import placement as placing
from hubctl.usecases.render import stages as staging
from hubctl.usecases.validate.checks_windows import duration_ok

CODE = "rollout-stage"


def _names(names) -> str:
    names = sorted(names)
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def stage_problems(fleet: Fleet, index) -> list[Problem]:
    """Problems of every staged flow, all in one run."""
    out = []
    for _, flow in sorted(fleet.flows.items()):
        if flow.stages or flow.approvals:
            doc = index[(flow.origin.file, flow.origin.doc)]
            shape = _shape_problems(flow, doc)
            out += shape + _approval_problems(fleet, flow, doc)
            if flow.stages and not any(p.code == "bad-selector" for p in shape):  # else the selectors are unknown
                out += _coverage_problems(fleet, flow, doc)
    return out


def _shape_problems(flow: Flow, doc) -> list[Problem]:
    out = []
    if flow.stages and flow.rollout:
        out.append(doc.problem(("spec", "rollout", "waves"), "a flow rolls out by `waves` or by `stages`, not both",
                               "keep one: a stage with `selector: {matchLabels: {env: ...}}` does what a wave does",
                               CODE))
    seen: set[str] = set()
    for i, stage in enumerate(flow.stages):
        where = ("spec", "rollout", "stages", i)
        if stage.name in seen:
            out.append(doc.problem((*where, "name"), f"stage `{stage.name}` is defined twice", "rename one of them",
                                   CODE))
        seen.add(stage.name)
        data = doc.data["spec"]["rollout"]["stages"][i].get("selector")
        for rel, message, hint in selectors.selector_problems(data):
            out.append(doc.problem((*where, "selector", *rel), message, hint, "bad-selector"))
        if stage.max_update is not None and str(stage.max_update).rstrip("%").lstrip("0") == "":
            out.append(doc.problem((*where, "maxUpdate"), f"stage `{stage.name}` has maxUpdate {stage.max_update}: "
                                   "Argo CD's RollingSync would never update its clusters, nor any stage after it",
                                   "to hold the stage until `hubctl rollout approve`, set `approval: true`; else a "
                                   "maxUpdate of 1 or more", CODE))
        if stage.pause_after is not None and not duration_ok(stage.pause_after):
            out.append(doc.problem((*where, "pauseAfter"), f"pause `{stage.pause_after}` is not a duration",
                                   "use a number and a unit: 30m, 2h, 1h30m", CODE))
    return out


def _closest(name: str, known, fallback: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else fallback


def _approval_problems(fleet: Fleet, flow: Flow, doc) -> list[Problem]:
    out = []
    names = [s.name for s in flow.stages]
    seen: set[str] = set()
    for i, approval in enumerate(flow.approvals):
        where = ("spec", "rollout", "approvals", i, "stage")
        if approval.stage not in names:
            out.append(doc.problem(where, f"approval of unknown stage `{approval.stage}`",
                                   _closest(approval.stage, names, "remove it: the flow has no such stage"),
                                   "unknown-ref"))
        elif not staging.waits_for(flow, names.index(approval.stage), fleet):
            out.append(doc.problem(where, f"stage `{approval.stage}` does not wait for an approval",
                                   "remove the approval, or set `approval: true` on the stage", CODE))
        if approval.stage in seen:
            out.append(doc.problem(where, f"stage `{approval.stage}` is approved twice",
                                   "keep one approval per stage (`hubctl rollout approve` replaces it)", CODE))
        seen.add(approval.stage)
    return out


def _coverage_problems(fleet: Fleet, flow: Flow, doc) -> list[Problem]:
    placed = [p.cluster for p in placing.placements_for(fleet, flow)]
    if not placed:  # "the placement selects no cluster" is its own problem
        return []
    out = []
    selected = [{n for n in placed if selectors.matches(s.selector, fleet.clusters[n].labels)} for s in flow.stages]
    for i, stage in enumerate(flow.stages):
        where = ("spec", "rollout", "stages", i, "selector")
        if not selected[i]:
            out.append(doc.problem(where, f"stage `{stage.name}` selects none of the clusters the flow is placed on "
                                   f"({_names(placed)})", "change its selector, or remove the stage", CODE))
        for j in range(i + 1, len(flow.stages)):
            both = selected[i] & selected[j]
            if both:
                out.append(doc.problem(where, f"stage `{stage.name}` also selects {_names(both)}, which stage "
                                       f"`{flow.stages[j].name}` selects: a cluster belongs to one stage",
                                       "narrow one of the selectors, e.g. with a matchExpressions NotIn", CODE))
    uncovered = set(placed) - set().union(*selected)
    if uncovered:
        out.append(doc.problem(("spec", "rollout", "stages"), f"no stage selects {_names(uncovered)}, where the flow "
                               "is placed: Argo CD's RollingSync would never sync its Application"
                               + ("s" if len(uncovered) > 1 else ""),
                               "widen a stage's selector, or add a last stage for them", CODE))
    return out
