"""One status read, or the revision-aware wait: readers in, a Tracker and an exit code out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hubctl.constants import LABEL_CLUSTER, LABEL_FLOW, LABEL_MANAGED_BY, LABEL_SPACE, MANAGED_BY
from hubctl.errors import ExitCode, HubError
from hubctl.hub import selectors
from hubctl.hub.engine import Tracker, outcome
from hubctl.hub.expected import ExpectedApp
from hubctl.hub.records import live_from_object
from hubctl.hub.retry import Transient

WATCH_CHUNK_SECONDS = 300


@dataclass(frozen=True)
class Filters:
    flow: str | None = None
    space: str | None = None
    cluster: str | None = None

    def selector(self) -> str:
        """The label selector for hubctl's Applications, narrowed by the filters."""
        return selectors.join({LABEL_MANAGED_BY: MANAGED_BY, LABEL_FLOW: self.flow, LABEL_SPACE: self.space,
                               LABEL_CLUSTER: self.cluster})

    def keep(self, app: ExpectedApp) -> bool:
        return ((self.flow is None or app.flow == self.flow) and (self.space is None or app.space == self.space)
                and (self.cluster is None or app.cluster == self.cluster))


@dataclass
class StatusResult:
    tracker: Tracker
    exit_code: ExitCode
    timed_out: bool = False
    elapsed: float = 0.0


def refresh(reader, tracker: Tracker, selector: str) -> None:
    """List the hub once and make the tracker match it (page by page; only LiveApps are kept)."""
    tracker.replace_all(live_from_object(obj) for obj in reader.list_applications(selector))


def read_once(reader, expected: Iterable[ExpectedApp], revision: str | None, check, filters: Filters) -> StatusResult:
    """`hubctl status` without --wait.

    Raises:
        HubError: the hub is unreachable or refuses the credentials.
    """
    tracker = Tracker((a for a in expected if filters.keep(a)), revision, check)
    refresh(reader, tracker, filters.selector())
    return StatusResult(tracker, outcome(tracker.counts, waiting=False, timed_out=False))


def wait(reader, expected: Iterable[ExpectedApp], revision: str | None, check, filters: Filters,
         timeout: float, on_progress: Callable[[Tracker, float], None] = lambda t, s: None,
         poll_interval: float = 2.0, clock=time.monotonic, sleep=time.sleep) -> StatusResult:
    """Wait until everything is done, a failure is final, or `timeout` seconds pass.

    Watches the Kubernetes API from the list's resourceVersion (a change is seen as it happens); polls
    readers without a watch every `poll_interval` seconds.

    Raises:
        HubError: the hub is unreachable (after retries) or refuses the credentials.
    """
    start = clock()
    deadline, selector = start + timeout, filters.selector()
    tracker = Tracker((a for a in expected if filters.keep(a)), revision, check)
    refresh(reader, tracker, selector)
    failures = 0
    while True:
        on_progress(tracker, clock() - start)
        code = outcome(tracker.counts, waiting=True, timed_out=False)
        if code is not None:
            return StatusResult(tracker, code, False, clock() - start)
        remaining = deadline - clock()
        if remaining <= 0:
            return StatusResult(tracker, outcome(tracker.counts, waiting=True, timed_out=True), True,
                                clock() - start)
        if not hasattr(reader, "watch_applications"):
            sleep(min(poll_interval, remaining))
            refresh(reader, tracker, selector)
            continue
        try:
            _follow(reader, tracker, selector, min(remaining, WATCH_CHUNK_SECONDS), on_progress,
                    lambda: clock() - start)
            failures = 0
        except Transient as exc:
            failures += 1
            if failures >= reader.retry.attempts:
                raise HubError(f"the hub's watch kept failing ({exc.detail})") from None
            sleep(min(reader.retry.delay(failures), max(0.0, deadline - clock())))
            refresh(reader, tracker, selector)
        except _expired():
            refresh(reader, tracker, selector)


def _expired():
    from hubctl.hub.kube import WatchExpired

    return WatchExpired


def _follow(reader, tracker: Tracker, selector: str, seconds: float, on_progress, elapsed) -> None:
    """Apply watch events until the watch ends or the outcome becomes final."""
    for kind, obj in reader.watch_applications(selector, reader.resource_version, max(1, round(seconds))):
        if kind in ("ADDED", "MODIFIED", "DELETED", "BOOKMARK"):  # an ERROR event carries a Status, not a version
            reader.resource_version = (obj.get("metadata") or {}).get("resourceVersion", reader.resource_version)
        if kind == "DELETED":
            tracker.remove(obj["metadata"]["name"])
        elif kind in ("ADDED", "MODIFIED"):
            tracker.update(live_from_object(obj))
        else:
            continue
        if outcome(tracker.counts, waiting=True, timed_out=False) is not None:
            return
        on_progress(tracker, elapsed())
