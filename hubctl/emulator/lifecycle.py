"""Simulated Argo CD reconciliation: an Application's status after each step, shaped like the real thing.

Each application walks four stages towards its target revision, one per `step()`:
0 OutOfSync (just created or a new commit), 1 sync operation Running, 2 Synced and Progressing,
3 Synced and Healthy. Faults stop or divert the walk: `outofsync` never leaves stage 0, `failed` ends
in a Failed operation with a SyncError condition, `degraded` ends Synced but Degraded.
The object layout follows ../shared/reference/argocd/application-status-sample.yaml (Argo CD v3.5.1).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

FINAL_STAGE = 3
FAILED_MESSAGE = ('one or more objects failed to apply, reason: admission webhook "policy.example.com" '
                  "denied the request: container must not run as root")


@dataclass
class AppState:
    """What the emulator tracks for one Application between steps."""

    manifest: dict  # the generated Application: apiVersion, kind, metadata, spec
    revision: str  # the commit it is rolling out
    stage: int = 0
    fault: str | None = None  # degraded | outofsync | failed | window (held by a deny window: as outofsync)
    created_at: str = ""
    started_at: str = ""
    finished_at: str = ""
    health_since: str = ""
    previous: str = ""  # the revision deployed before this rollout ("" for a new app)
    history: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.manifest["metadata"]["name"]

    def advance(self, now: str) -> bool:
        """Move one stage on; False when nothing changed (final, or held by a fault)."""
        if self.stage >= FINAL_STAGE or (self.fault in ("outofsync", "window") and self.stage == 0):
            return False
        if self.fault == "failed" and self.stage >= 2:
            return False
        self.stage += 1
        if self.stage == 1:
            self.started_at, self.finished_at = now, ""
        if self.stage == 2:
            self.finished_at = now
            if self.fault != "failed":
                self.history = (self.history + [self._history_entry(now)])[-10:]
        self.health_since = now
        return True

    def retarget(self, revision: str, manifest: dict, now: str) -> None:
        """A new commit: start over towards `revision` (Argo CD compares, finds drift, syncs again)."""
        if revision == self.revision and manifest == self.manifest:
            return
        self.previous = self.revision if self.stage >= 2 else self.previous
        self.manifest, self.revision, self.stage, self.health_since = manifest, revision, 0, now

    def _history_entry(self, now: str) -> dict:
        return {"id": len(self.history), "revision": self.revision, "deployedAt": now,
                "deployStartedAt": self.started_at, "source": _sources(self.manifest["spec"])[0]
                if _sources(self.manifest["spec"]) else {}, "initiatedBy": {"automated": True}}


def _sources(spec: dict) -> list[dict]:
    if spec.get("sources"):
        return list(spec["sources"])
    return [spec["source"]] if spec.get("source") else []


def _source_revision(source: dict, commit: str) -> str:
    """What Argo CD reports as a source's revision: a Helm chart's version, else the commit (the emulator
    serves one repository, so an external git source reports the deploy commit too)."""
    return str(source["targetRevision"]) if source.get("chart") and source.get("targetRevision") else commit


def _revision_fields(spec: dict, revision: str) -> dict:
    """`revision` for single-source apps, `revisions` (one per source) for multi-source ones."""
    if spec.get("sources"):
        return {"revisions": [_source_revision(s, revision) for s in spec["sources"]]}
    return {"revision": _source_revision(spec.get("source") or {}, revision)}


def _sync_status(state: AppState) -> dict:
    spec = state.manifest["spec"]
    synced = state.stage >= 2 and state.fault != "failed"
    compared = {"destination": spec.get("destination", {})}
    compared["sources" if spec.get("sources") else "source"] = (
        spec["sources"] if spec.get("sources") else spec.get("source", {}))
    return {"status": "Synced" if synced else "OutOfSync", "comparedTo": compared,
            **_revision_fields(spec, state.revision)}


def _health(state: AppState) -> str:
    if state.stage >= 2 and state.fault == "failed":
        return "Degraded"
    if state.stage == FINAL_STAGE:
        return "Degraded" if state.fault == "degraded" else "Healthy"
    if state.stage == 0:
        return "Healthy" if state.previous else "Missing"
    return "Progressing"


def _operation_state(state: AppState) -> dict | None:
    spec = state.manifest["spec"]
    if state.stage == 0:
        return _previous_operation(state)
    failed = state.fault == "failed" and state.stage >= 2
    running = state.stage == 1
    op = {
        "operation": {"initiatedBy": {"automated": True},
                      "sync": _revision_fields(spec, state.revision)},
        "phase": "Running" if running else ("Failed" if failed else "Succeeded"),
        "message": ("one or more tasks are running" if running else
                    FAILED_MESSAGE if failed else "successfully synced (all tasks run)"),
        "startedAt": state.started_at,
        "syncResult": {**_revision_fields(spec, state.revision),
                       **({} if spec.get("sources") else {"source": spec.get("source", {})}),
                       "resources": _sync_resources(state, failed)},
    }
    if not running:
        op["finishedAt"] = state.finished_at
    if failed:
        op["retryCount"] = 5
    return op


def _previous_operation(state: AppState) -> dict | None:
    if not state.previous:
        return None
    spec = state.manifest["spec"]
    return {"operation": {"initiatedBy": {"automated": True}, "sync": _revision_fields(spec, state.previous)},
            "phase": "Succeeded", "message": "successfully synced (all tasks run)",
            "startedAt": state.started_at, "finishedAt": state.finished_at or state.started_at,
            "syncResult": {"revision": "" if spec.get("sources") else state.previous, "resources": []}}


def _sync_resources(state: AppState, failed: bool) -> list[dict]:
    namespace = state.manifest["spec"].get("destination", {}).get("namespace", "default")
    workload = state.manifest["metadata"]["labels"].get("hubctl.io/flow", state.name)
    return [
        {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": namespace, "name": workload,
         "status": "SyncFailed" if failed else "Synced",
         "message": 'admission webhook "policy.example.com" denied the request' if failed
         else "deployment.apps/" + workload + " serverside-applied", "syncPhase": "Sync",
         "hookPhase": "Failed" if failed else "Running"},
        {"version": "v1", "kind": "Service", "namespace": namespace, "name": workload, "status": "Synced",
         "message": "service/" + workload + " serverside-applied", "syncPhase": "Sync", "hookPhase": "Running"},
    ]


def application(state: AppState, now: str) -> dict:
    """The full Application object for `state`, as `kubectl get application -o json` would show it."""
    obj = copy.deepcopy(state.manifest)
    obj.setdefault("apiVersion", "argoproj.io/v1alpha1")
    obj.setdefault("kind", "Application")
    obj["metadata"].setdefault("creationTimestamp", state.created_at)
    sync = _sync_status(state)
    namespace = obj["spec"].get("destination", {}).get("namespace", "default")
    workload = obj["metadata"].get("labels", {}).get("hubctl.io/flow", state.name)
    status = {
        "sync": sync,
        "health": {"status": _health(state), "lastTransitionTime": state.health_since},
        "reconciledAt": now,
        "resourceHealthSource": "appTree",
        **({"sourceTypes": ["Directory" for _ in obj["spec"]["sources"]]} if obj["spec"].get("sources")
           else {"sourceType": "Directory"}),
        "resources": [
            {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": namespace,
             "name": workload, "status": sync["status"]},
            {"version": "v1", "kind": "Service", "namespace": namespace, "name": workload, "status": "Synced"},
        ],
        "summary": {"images": [f"registry.example.com/{workload}:1.0.0"]},
        "controllerNamespace": obj["metadata"].get("namespace", "argocd"),
    }
    if op := _operation_state(state):
        status["operationState"] = op
    if state.history:
        status["history"] = state.history
    if state.fault == "failed" and state.stage >= 2:
        status["conditions"] = [{"type": "SyncError", "lastTransitionTime": state.finished_at,
                                 "message": f"Failed sync attempt to {state.revision}: one or more objects "
                                            "failed to apply (retried 5 times)."}]
    obj["status"] = status
    return obj
