"""Checks of a space's maintenance windows (spec.syncWindows): what Argo CD would refuse or never match.

Argo CD parses `schedule` with robfig/cron's standard five fields (no descriptors), `duration` with Go's
time.ParseDuration and `timeZone` with time.LoadLocation; a window it cannot parse blocks nothing (or every
sync), so hubctl refuses it before it reaches the AppProject.
"""

from __future__ import annotations

import re

from hubctl.base.problems import Problem
from hubctl.spec import selectors
from hubctl.spec.model import Fleet
from hubctl.usecases.render import placement as placing

_DURATION = re.compile(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)")
_NAMES = {3: ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
          4: ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")}
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def _value(text: str, field: int) -> int | None:
    names = _NAMES.get(field, ())
    if text.upper() in names:
        return names.index(text.upper()) + (1 if field == 3 else 0)
    return int(text) if text.isdigit() else None


def _part_ok(part: str, field: int) -> bool:
    low, high = _BOUNDS[field]
    span, _, step = part.partition("/")
    if step and not (step.isdigit() and int(step) > 0):
        return False
    if span in ("*", "?"):
        return True
    ends = [_value(x, field) for x in span.split("-", 1)]
    return all(v is not None and low <= v <= high for v in ends) and (len(ends) == 1 or ends[0] <= ends[1])


def cron_ok(schedule: str) -> bool:
    """Whether `schedule` is a five-field cron expression robfig/cron's standard parser accepts."""
    fields = schedule.split()
    return len(fields) == 5 and all(part and _part_ok(part, i) for i, f in enumerate(fields)
                                    for part in f.split(","))


def duration_ok(duration: str) -> bool:
    """Whether `duration` is a positive Go duration (1h, 90m, 1h30m)."""
    return bool(re.fullmatch(f"(?:{_DURATION.pattern})+", duration)) and any(c in "123456789" for c in duration)


def zone_ok(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def window_problems(fleet: Fleet, index) -> list[Problem]:
    """Problems of every space's syncWindows, all in one run."""
    out = []
    for _, space in sorted(fleet.spaces.items()):
        doc = index[(space.origin.file, space.origin.doc)]
        for i, window in enumerate(space.sync_windows):
            where = ("spec", "syncWindows", i)
            if not cron_ok(window.schedule):
                out.append(doc.problem((*where, "schedule"), f"schedule `{window.schedule}` is not a 5-field cron "
                                       "expression (minute hour day-of-month month day-of-week)",
                                       'for example "0 22 * * 5" (Fridays at 22:00)', "sync-window"))
            if not duration_ok(window.duration):
                out.append(doc.problem((*where, "duration"), f"duration `{window.duration}` is not a Go duration",
                                       "use a number and a unit: 90m, 2h, 56h, 1h30m", "sync-window"))
            if not zone_ok(window.time_zone):
                out.append(doc.problem((*where, "timeZone"), f"unknown time zone `{window.time_zone}`",
                                       "use an IANA name such as Europe/Berlin or UTC", "sync-window"))
            out += _selector_problems(fleet, space, window, doc, where)
    return out


def _selector_problems(fleet: Fleet, space, window, doc, where) -> list[Problem]:
    if window.clusters is None:
        return []
    data = doc.data["spec"]["syncWindows"][where[-1]].get("clusters")
    bad = [doc.problem((*where, "clusters", *rel), message, hint, "bad-selector")
           for rel, message, hint in selectors.selector_problems(data)]
    if bad:
        return bad
    if not placing.label_index(fleet).select(window.clusters) & placing.space_clusters(fleet, space.name):
        return [doc.problem((*where, "clusters"), f"the window's cluster selector selects no cluster of space "
                            f"`{space.name}`, so it would never apply", "match a cluster the space may use (see "
                            "its clusters.selector), or remove `clusters` to cover every Application of the space",
                            "sync-window")]
    return []
