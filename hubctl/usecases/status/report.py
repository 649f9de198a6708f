"""The `-o json` document of `hubctl status` (a stable shape for CI; docs/status.md) and shared wording."""

from __future__ import annotations

import json

from hubctl.base.errors import ExitCode
from hubctl.usecases.status.engine import AppStatus, Tracker

RESULTS = {ExitCode.OK: "done", ExitCode.DEGRADED: "degraded", ExitCode.DRIFT: "drift",
           ExitCode.TIMEOUT: "timeout", ExitCode.NOT_DONE: "progressing"}


def deployed_revision(status: AppStatus) -> str:
    return status.live.revisions[0] if status.live and status.live.revisions else ""


def app_json(status: AppStatus) -> dict:
    live = status.live
    return {
        "name": status.name, "space": status.space, "flow": status.flow, "cluster": status.cluster,
        "env": status.env, "state": status.state,
        "sync": live.sync if live else None, "health": live.health if live else None,
        "revision": deployed_revision(status) or None, "atExpectedRevision": status.at_revision,
        "operation": (live.operation or None) if live else None,
        "startedAt": (live.started_at or None) if live else None,
        "finishedAt": (live.finished_at or None) if live else None,
        "message": status.message or None,
    }


def status_json(tracker: Tracker, code: ExitCode, source: str, timed_out: bool) -> dict:
    """The whole document; keys and their order are part of the contract."""
    return {
        "apiVersion": "hubctl.io/v1alpha1",
        "kind": "Status",
        "source": source,
        "expectedRevision": tracker.revision,
        "result": RESULTS.get(code, "progressing"),
        "exitCode": int(code),
        "timedOut": timed_out,
        "summary": tracker.summary(),
        "applications": [app_json(s) for s in tracker.sorted_statuses()],
    }


def dumps(document: dict) -> str:
    """The document as indented JSON with one compact line per application.

    Valid JSON for any parser, diff-friendly, and written by the C encoder (json's `indent` falls back
    to the pure-Python one, ten times slower for 20,000 applications).
    """
    head = {k: v for k, v in document.items() if k != "applications"}
    lines = json.dumps(head, indent=2, ensure_ascii=False)[:-2].splitlines()
    apps = document.get("applications", [])
    body = ",\n".join("    " + json.dumps(app, ensure_ascii=False) for app in apps)
    return "\n".join(lines) + ',\n  "applications": [' + (f"\n{body}\n  ]" if apps else "]") + "\n}\n"


def summary_line(tracker: Tracker) -> str:
    counts = tracker.summary()
    parts = [f"{counts['done']}/{counts['expected']} done"]
    parts += [f"{counts[k]} {k}" for k in ("progressing", "waiting", "failed", "degraded", "missing", "orphaned")
              if counts[k]]
    revision = tracker.revision[:12] if tracker.revision else "any revision"
    return ", ".join(parts) + f" (expected revision {revision})"
