"""Reduce an Application (a dict from either API) to the few fields status needs, as early as possible.

Readers hand over one page of dicts at a time; keeping only a LiveApp per Application is what lets
`hubctl status` read 20,000 Applications in bounded memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hubctl.constants import LABEL_CLUSTER, LABEL_ENV, LABEL_FLOW, LABEL_SPACE


@dataclass(slots=True)  # not frozen: cheaper to build 20,000 of them
class LiveApp:
    """What the hub says about one Application."""

    name: str
    space: str = ""
    flow: str = ""
    cluster: str = ""
    env: str = ""
    sync: str = "Unknown"  # Synced | OutOfSync | Unknown
    health: str = "Unknown"  # Healthy | Progressing | Degraded | Suspended | Missing | Unknown
    revisions: tuple[str, ...] = ()  # status.sync.revision, or .revisions for multi-source apps
    compared: str = ""  # source_key of status.sync.comparedTo's source(s): what the sync status is about
    operation_source: str = ""  # source_key of the last operation's syncResult source(s)
    operation: str = ""  # operationState.phase: Running | Terminating | Succeeded | Failed | Error | ""
    operation_revisions: tuple[str, ...] = ()
    operation_message: str = ""
    started_at: str = ""
    finished_at: str = ""
    errors: tuple[str, ...] = ()  # "*Error" conditions as "Type: message"
    created_at: str = ""


def _revisions(block: dict) -> tuple[str, ...]:
    if block.get("revisions"):
        return tuple(str(r) for r in block["revisions"] if r)
    return (str(block["revision"]),) if block.get("revision") else ()


def _pruned(value):
    """`value` without empty fields (None, "", {}, []), as Argo CD's API omits them."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", {}, [])}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def source_key(block: dict) -> str:
    """A canonical text of the source(s) in `block` (an Application spec, comparedTo or syncResult):
    equal texts mean equal sources. "" when there is none."""
    sources = block.get("sources") or ([block["source"]] if block.get("source") else [])
    if not sources:
        return ""
    return json.dumps(_pruned(sources), sort_keys=True, separators=(",", ":"))


def live_from_object(obj: dict) -> LiveApp:
    """A LiveApp from an Application dict; missing fields become empty, never errors."""
    meta = obj.get("metadata") or {}
    labels = meta.get("labels") or {}
    status = obj.get("status") or {}
    sync = status.get("sync") or {}
    op = status.get("operationState") or {}
    conditions = status.get("conditions") or []
    return LiveApp(
        name=meta.get("name", ""),
        space=labels.get(LABEL_SPACE, ""), flow=labels.get(LABEL_FLOW, ""),
        cluster=labels.get(LABEL_CLUSTER, ""), env=labels.get(LABEL_ENV, ""),
        sync=sync.get("status") or "Unknown",
        health=(status.get("health") or {}).get("status") or "Unknown",
        revisions=_revisions(sync),
        compared=source_key(sync.get("comparedTo") or {}),
        operation_source=source_key(op.get("syncResult") or {}),
        operation=op.get("phase", ""),
        operation_revisions=_revisions((op.get("operation") or {}).get("sync") or {})
        or _revisions(op.get("syncResult") or {}),
        operation_message=op.get("message", "") or "",
        started_at=op.get("startedAt", "") or "", finished_at=op.get("finishedAt", "") or "",
        errors=tuple(f"{c.get('type')}: {c.get('message', '')}" for c in conditions
                     if str(c.get("type", "")).endswith("Error")),
        created_at=meta.get("creationTimestamp", "") or "",
    )
