"""Judge each Application against the expectation, and the whole rollout against the exit codes.

Per Application, one state:
  done         Synced at the expected revision (or a descendant), Healthy, last operation Succeeded;
               for an external flow: compared at exactly the source this commit renders for it
               (an app with no recorded operation counts as succeeded: Argo CD only records syncs it ran)
  progressing  anything on its way: OutOfSync, operation Running, an older revision, Progressing health
  failed       last operation Failed/Error for the expected revision (or newer), or an `*Error` condition
  degraded     Synced at the expected revision, operation finished, health Degraded
  missing      expected (a placement) but not on the hub
  orphaned     labelled managed-by=hubctl on the hub but not expected
  waiting      progressing (OutOfSync, no operation running) and Argo CD says it cannot sync now: an active
               deny sync window (or no open allow window) holds it; only --source argocd can tell
failed and degraded are final; missing may still resolve while waiting, as the ApplicationSet controller
creates Applications; an orphan resolves only when its flow's ApplicationSet deletes what it stops
generating (`prune: true`, applicationsSync `sync`). An orphan the hub keeps (create-update, a removed
flow's set, the spaces set) is final: a wait with nothing else pending ends with drift (9) at once, and
`hubctl prune` is what removes it.

Exit code precedence (docs/status.md): DEGRADED 7 > DRIFT 9 > TIMEOUT 8 > NOT_DONE 11 > OK 0;
HUB_UNREACHABLE 6 is raised before any judgement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hubctl.adapters.hub.records import LiveApp
from hubctl.base.errors import ExitCode
from hubctl.usecases.status.expected import ExpectedApp

STATES = ("done", "progressing", "failed", "degraded", "missing", "orphaned", "waiting")
PENDING = ("progressing", "waiting")  # waiting: progressing, held by an active deny sync window
FINAL_FAILURES = ("failed", "degraded")
DRIFT = ("missing", "orphaned")
RevisionCheck = Callable[[str, str], bool]  # (deployed, expected) -> deployed is expected or a descendant


@dataclass(slots=True)  # not frozen: cheaper to build 20,000 of them
class AppStatus:
    """The verdict for one Application: expected and/or live side, state, revision match, message."""

    name: str
    expected: ExpectedApp | None
    live: LiveApp | None
    state: str
    at_revision: bool
    message: str = ""

    @property
    def space(self) -> str:
        return self.expected.space if self.expected else (self.live.space if self.live else "")

    @property
    def flow(self) -> str:
        return self.expected.flow if self.expected else (self.live.flow if self.live else "")

    @property
    def cluster(self) -> str:
        return self.expected.cluster if self.expected else (self.live.cluster if self.live else "")

    @property
    def env(self) -> str:
        return self.expected.env if self.expected else (self.live.env if self.live else "")

    def sort_key(self) -> tuple:
        return (self.space, self.flow, self.cluster, self.name)


def _at(revisions: tuple[str, ...], expected: str | None, check: RevisionCheck) -> bool:
    if expected is None:
        return True
    return any(check(rev, expected) for rev in revisions)


def _at_source(expected: ExpectedApp, live: LiveApp) -> tuple[bool, bool]:
    """(at the expected revision, last operation about it) for an external flow: its sync status was
    compared at exactly the source this commit's ApplicationSet gives it (chart, version, values, or
    repository, path, targetRevision); its last operation synced that source (or none is recorded)."""
    return live.compared == expected.source, live.operation_source in ("", expected.source)


def _failure_message(live: LiveApp) -> str:
    if live.operation in ("Failed", "Error") and live.operation_message:
        return live.operation_message
    return live.errors[0] if live.errors else ""


def judge(expected: ExpectedApp | None, live: LiveApp | None, revision: str | None,
          check: RevisionCheck) -> AppStatus:
    """The state of one Application (see the module docstring)."""
    name = expected.name if expected else live.name
    if live is None:
        return AppStatus(name, expected, None, "missing", False, "expected by the placement, not on the hub")
    if expected is not None and expected.source:
        at_revision, op_current = _at_source(expected, live)
    else:
        at_revision = _at(live.revisions, revision, check)
        op_current = not live.operation_revisions or _at(live.operation_revisions, revision, check)
    message = _failure_message(live)
    if expected is None:
        return AppStatus(name, None, live, "orphaned", at_revision, "on the hub, not expected by the placement")
    if live.errors or (live.operation in ("Failed", "Error") and op_current):
        return AppStatus(name, expected, live, "failed", at_revision, message)
    settled = live.operation not in ("Running", "Terminating")
    if live.sync == "Synced" and at_revision and settled:
        if live.health == "Degraded":
            return AppStatus(name, expected, live, "degraded", True, message or "health Degraded")
        if live.health == "Healthy" and live.operation in ("Succeeded", ""):
            return AppStatus(name, expected, live, "done", True, "")
    return AppStatus(name, expected, live, "progressing", at_revision, message)


def outcome(counts: Counter, *, waiting: bool, timed_out: bool, kept: int = 0) -> ExitCode | None:
    """The exit code for these state counts; None while waiting and nothing is final yet. `kept`: how many
    of the orphans the hub keeps (final drift: no controller will delete them)."""
    if counts["failed"] or counts["degraded"]:
        return ExitCode.DEGRADED
    drift = counts["missing"] or counts["orphaned"]
    pending = counts["missing"] or counts["orphaned"] - kept or counts["progressing"] or counts["waiting"]
    if waiting and not timed_out and pending:
        return None
    if drift:
        return ExitCode.DRIFT
    if counts["progressing"] or counts["waiting"]:
        return ExitCode.TIMEOUT if timed_out else ExitCode.NOT_DONE
    return ExitCode.OK


class Tracker:
    """Expected and live Applications with their verdicts, updated one Application at a time."""

    def __init__(self, expected: Iterable[ExpectedApp], revision: str | None, check: RevisionCheck):
        self.expected = {app.name: app for app in expected}
        self.revision, self._check = revision, check
        self.pruning = {app.flow for app in self.expected.values() if app.prunes}  # their sets delete orphans
        self.kept: set[str] = set()  # orphans the hub keeps (create-update): final drift
        self.windowed = {app.name for app in self.expected.values() if app.windowed}  # a sync window may hold
        self.live: dict[str, LiveApp] = {}
        self.statuses: dict[str, AppStatus] = {}
        self.counts: Counter = Counter()
        for app in self.expected.values():
            self._set(judge(app, None, revision, check))

    def _set(self, status: AppStatus | None, name: str = "") -> None:
        old = self.statuses.pop(status.name if status else name, None)
        if old is not None:
            self.counts[old.state] -= 1
        if status is not None:
            self.statuses[status.name] = status
            self.counts[status.state] += 1

    def update(self, live: LiveApp) -> None:
        self.live[live.name] = live
        status = judge(self.expected.get(live.name), live, self.revision, self._check)
        self.kept.discard(live.name)
        if status.state == "orphaned":
            if live.deleting:  # the controller removes it once its finalizers are done: pending, not kept
                status.message = f"on the hub, being deleted (since {live.deleting}): waits until it is gone"
            elif live.flow in self.pruning:
                status.message = "on the hub, not expected: its ApplicationSet deletes it (prune: true)"
            else:
                self.kept.add(live.name)
                status.message = ("on the hub, not expected; the hub keeps it (create-update): `hubctl prune` "
                                  "deletes it when a commit allowed the removal")
        self._set(status)

    def hold(self, name: str, windows: list[dict]) -> None:
        """Application `name`, progressing, is held by these active sync windows: waiting for its window."""
        status = self.statuses[name]
        shown = ", ".join(f"{w['kind']} window `{w['schedule']}` for {w['duration']}" for w in windows)
        status.message = f"waiting for its sync window: {shown or 'no allow window is open'}" + \
            (" is active" if len(windows) == 1 else " are active" if windows else "")
        self._set(AppStatus(status.name, status.expected, status.live, "waiting", status.at_revision,
                            status.message))

    def outcome(self, *, waiting: bool, timed_out: bool) -> ExitCode | None:
        return outcome(self.counts, waiting=waiting, timed_out=timed_out, kept=len(self.kept))

    def remove(self, name: str) -> None:
        self.live.pop(name, None)
        self.kept.discard(name)
        if name in self.expected:
            self._set(judge(self.expected[name], None, self.revision, self._check))
        else:
            self._set(None, name)

    def replace_all(self, lives: Iterable[LiveApp]) -> None:
        """A fresh list: apps no longer listed are gone from the hub."""
        seen = set()
        for live in lives:
            seen.add(live.name)
            self.update(live)
        for name in [n for n in self.live if n not in seen]:
            self.remove(name)

    def sorted_statuses(self) -> list[AppStatus]:
        return sorted(self.statuses.values(), key=AppStatus.sort_key)

    def summary(self) -> dict[str, int]:
        return {"expected": len(self.expected), **{state: self.counts[state] for state in STATES}}
