"""One status read, or the revision-aware wait: readers in, a Tracker and an exit code out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from hubctl.adapters.hub.http import HubTimeout
from hubctl.adapters.hub.records import LiveApp, Malformed, live_from_object
from hubctl.adapters.hub.retry import Transient
from hubctl.base import selectors
from hubctl.base.constants import LABEL_CLUSTER, LABEL_FLOW, LABEL_MANAGED_BY, LABEL_SPACE, MANAGED_BY
from hubctl.base.errors import ExitCode, HubError
from hubctl.usecases.status.engine import Tracker
from hubctl.usecases.status.expected import ExpectedApp

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


def refresh(reader, tracker: Tracker, selector: str, windows: bool = True) -> None:
    """List the hub once and make the tracker match it (page by page; only LiveApps are kept).

    Raises:
        HubError: unreachable, refused, or a listing of the wrong shape (malformed or duplicate Applications).
    """
    wanted = selectors.parse(selector)
    tracker.replace_all(_unique(reader, reader.list_applications(selector), wanted))
    if windows:
        held_by_windows(reader, tracker)


def held_by_windows(reader, tracker: Tracker) -> None:
    """Ask Argo CD, for each Application of a space with sync windows that is OutOfSync with no operation
    running, whether a window holds it (readers that cannot say, the Kubernetes API, leave it progressing).
    Only those: one request per Application, on every poll of a wait."""
    if not hasattr(reader, "active_deny_windows") or not tracker.windowed:
        return
    for status in [tracker.statuses[name] for name in sorted(tracker.windowed)]:
        if status.state != "progressing" or status.live is None:
            continue
        if status.live.sync == "OutOfSync" and status.live.operation not in ("Running", "Terminating"):
            windows = reader.active_deny_windows(status.name)
            if windows is not None:
                tracker.hold(status.name, windows)


def selected(obj: dict, wanted) -> bool:
    """Does the Application (already checked by checked_live) carry the labels the selector asked for? A
    hub, or a proxy, that ignores the selector must not widen what status reports and prune deletes."""
    return selectors.matches(wanted, obj["metadata"].get("labels"))


def _unique(reader, objects: Iterable[dict], wanted=()) -> Iterator[LiveApp]:
    seen: set[str] = set()
    for obj in objects:
        live = checked_live(reader, obj)
        if not selected(obj, wanted):
            continue
        if live.name in seen:
            raise HubError(f"{_endpoint(reader)} listed Application {live.name} twice",
                           hint="is this a hub? check the URL, and any proxy in between")
        seen.add(live.name)
        yield live


def checked_live(reader, obj) -> LiveApp:
    """The LiveApp of an Application dict from `reader`.

    Raises:
        HubError: the object does not have the shape of an Application (naming the endpoint and field).
    """
    try:
        return live_from_object(obj)
    except Malformed as exc:
        raise HubError(f"{_endpoint(reader)} sent a malformed Application: {exc}",
                       hint="is this a hub? check the URL, and any proxy in between") from None


def _endpoint(reader) -> str:
    return getattr(reader, "endpoint", "the hub")


def read_once(reader, expected: Iterable[ExpectedApp], revision: str | None, check, filters: Filters) -> StatusResult:
    """`hubctl status` without --wait.

    Raises:
        HubError: the hub is unreachable or refuses the credentials.
    """
    tracker = Tracker((a for a in expected if filters.keep(a)), revision, check)
    refresh(reader, tracker, filters.selector())
    return StatusResult(tracker, tracker.outcome(waiting=False, timed_out=False))


def wait(reader, expected: Iterable[ExpectedApp], revision: str | None, check, filters: Filters,
         timeout: float, on_progress: Callable[[Tracker, float], None] = lambda t, s: None,
         poll_interval: float = 2.0, clock=time.monotonic, sleep=time.sleep,
         tick: float | None = None) -> StatusResult:
    """Wait until everything is done, a failure is final, or `timeout` seconds pass.

    Watches the Kubernetes API from the list's resourceVersion (a change is seen as it happens); polls
    readers without a watch every `poll_interval` seconds. `on_progress` is called on every change, and at
    least every `tick` seconds (a watch is renewed that often) when given.

    Raises:
        HubError: the hub is unreachable (after retries) or refuses the credentials.
    """
    start = clock()
    deadline, selector = start + timeout, filters.selector()
    tracker = Tracker((a for a in expected if filters.keep(a)), revision, check)
    refresh(reader, tracker, selector, windows=False)  # a hub that cannot answer this first list is unreachable (6)
    try:
        held_by_windows(reader, tracker)  # within the deadline, as every later request
        return _wait_on(reader, tracker, selector, start, deadline, on_progress, poll_interval, clock, sleep,
                        tick or WATCH_CHUNK_SECONDS)
    except HubTimeout:  # the deadline passed inside a later request: the wait timed out
        return StatusResult(tracker, tracker.outcome(waiting=True, timed_out=True), True, clock() - start)


def _wait_on(reader, tracker: Tracker, selector: str, start: float, deadline: float, on_progress,
             poll_interval: float, clock, sleep, tick: float = WATCH_CHUNK_SECONDS) -> StatusResult:
    failures = 0
    while True:
        on_progress(tracker, clock() - start)
        code = tracker.outcome(waiting=True, timed_out=False)
        if code is not None:
            return StatusResult(tracker, code, False, clock() - start)
        remaining = deadline - clock()
        if remaining <= 0:
            return StatusResult(tracker, tracker.outcome(waiting=True, timed_out=True), True,
                                clock() - start)
        if not hasattr(reader, "watch_applications"):
            sleep(min(poll_interval, remaining))
            refresh(reader, tracker, selector)
            continue
        try:
            began = clock()
            if not _follow(reader, tracker, selector, min(remaining, WATCH_CHUNK_SECONDS, tick), on_progress,
                           lambda: clock() - start) and clock() - began < 1:
                sleep(min(poll_interval, max(0.0, deadline - clock())))  # an empty watch closed at once
            failures = 0
        except Transient as exc:
            failures += 1
            if failures >= reader.retry.attempts:
                raise HubError(f"the hub's watch kept failing ({exc.detail})") from None
            sleep(min(max(reader.retry.delay(failures), exc.retry_after or 0.0), max(0.0, deadline - clock())))
            refresh(reader, tracker, selector)
        except _expired():
            refresh(reader, tracker, selector)


def _expired():
    from hubctl.adapters.hub.kube import WatchExpired

    return WatchExpired


def _follow(reader, tracker: Tracker, selector: str, seconds: float, on_progress, elapsed) -> bool:
    """Apply watch events until the watch ends or the outcome becomes final; True if any event came."""
    events, wanted = False, selectors.parse(selector)
    for kind, obj in reader.watch_applications(selector, reader.resource_version, max(1, round(seconds))):
        events = True
        if kind == "BOOKMARK":
            reader.resource_version = _version(obj, reader.resource_version)
            continue
        if kind not in ("ADDED", "MODIFIED", "DELETED"):
            continue
        live = checked_live(reader, obj)
        reader.resource_version = _version(obj, reader.resource_version)
        if kind == "DELETED" or not selected(obj, wanted):  # relabelled out of the selection: gone for us
            tracker.remove(live.name)
        else:
            tracker.update(live)
        if tracker.outcome(waiting=True, timed_out=False) is not None:
            return True
        on_progress(tracker, elapsed())
    return events


def _version(obj: dict, default: str) -> str:
    version = (obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}).get("resourceVersion")
    return version if isinstance(version, str) else default


def waiting_line(tracker: Tracker, shown: int = 3) -> str:
    """`still waiting: N of M done, slowest: a (progressing: OutOfSync, old revision), ...`: the periodic line
    of a wait without a terminal. The slowest are the expected Applications not done yet that the hub shows
    least progress for: missing ones first, then those whose last operation started longest ago. Orphans are
    counted, not named: nothing is waited for there."""
    counts = tracker.summary()
    pending = [s for s in tracker.statuses.values() if s.state not in ("done", "orphaned")]

    def lag(status) -> tuple:
        live = status.live
        return (status.state != "missing", (live.started_at or live.created_at) if live else "", status.name)

    slowest = [f"{s.name} ({_why(s)})" for s in sorted(pending, key=lag)[:shown]]
    more = f" and {len(pending) - shown} more" if len(pending) > shown else ""
    tail = f", slowest: {', '.join(slowest)}{more}" if slowest else ""
    orphans = f", {counts['orphaned']} orphaned" if counts["orphaned"] else ""
    return f"still waiting: {counts['done']} of {counts['expected']} done{orphans}{tail}"


def _why(status) -> str:
    live = status.live
    if live is None or status.state in ("missing", "orphaned"):
        return status.state
    if status.state == "waiting":
        return status.message
    details = [live.sync, live.health] + ([] if status.at_revision else ["old revision"])
    return f"{status.state}: {', '.join(d for d in details if d)}"
