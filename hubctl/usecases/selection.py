"""Names that select part of the fleet (`--flow`, `--space`, `--cluster`, a spec named on the command line).

A selection that matches nothing is a usage error (exit 2), never an empty success: a CI gate such as
`hubctl status --wait --flow paymnets` must not pass by checking nothing. A name the fleet does not have
is told apart from a name that exists but selects nothing (a flow placed nowhere).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

from hubctl.base.errors import UsageError

KINDS = ("flow", "space", "cluster")


def did_you_mean(name: str, known: Iterable[str], fallback: str) -> str:
    """A hint naming the closest known name, else `fallback`."""
    close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else fallback


def unknown_name(kind: str, name: str, known: Iterable[str], fallback: str) -> UsageError:
    """The error for a `kind` name that the fleet does not have."""
    return UsageError(f"no {kind} named `{name}` in the fleet", hint=did_you_mean(name, known, fallback))


def require_selection(given: Mapping[str, str | None], items: list, keep: Callable[[object], bool],
                      field_of: Callable[[object, str], str], known_names: Callable[[], Mapping[str, Iterable[str]]],
                      what: str = "Application") -> None:
    """Refuse filters that select none of `items`.

    Args:
        given: kind ("flow", "space", "cluster") -> the name asked for, or None when not filtered on.
        items: what the filters select from (e.g. the expected Applications).
        keep: whether an item passes every filter. field_of(item, kind): its flow, space or cluster.
        known_names: kind -> every name the fleet has; called only when nothing is selected.

    Raises:
        UsageError: (exit 2) a name the fleet does not have (with a did-you-mean), or names that exist but
            together select no item.
    """
    asked = {kind: name for kind, name in given.items() if name is not None}
    if not asked or any(keep(item) for item in items):
        return
    known = known_names()
    for kind, name in asked.items():
        if name not in set(known.get(kind, ())):
            raise unknown_name(kind, name, known.get(kind, ()), f"see `hubctl placement` for the {kind}s")
    flags = " ".join(f"--{kind} {name}" for kind, name in asked.items())
    counts = [f"--{kind} {name} alone selects {sum(field_of(i, kind) == name for i in items)}"
              for kind, name in asked.items()]
    detail = "; ".join(counts) if len(asked) > 1 else f"no {what} is placed for {kind_word(asked)}"
    raise UsageError(f"{flags} selects no {what} ({detail})",
                     hint="see `hubctl placement` (or `hubctl placement --explain FLOW CLUSTER`) for where "
                          "flows land")


def kind_word(asked: Mapping[str, str]) -> str:
    ((kind, name),) = asked.items()
    return f"{kind} `{name}`"


def check_status_filters(filters, expected: list, fleet_dir) -> None:
    """`hubctl status` filters must select at least one expected Application (see require_selection)."""

    def known_names() -> dict[str, set[str]]:
        from hubctl.base.constants import SPACES_APPSET
        from hubctl.usecases.validate.loader import load_fleet

        fleet = load_fleet(fleet_dir)
        return {"flow": set(fleet.flows) | {SPACES_APPSET}, "space": set(fleet.spaces) | {fleet.hub.admin_project},
                "cluster": set(fleet.clusters)}

    given = {"flow": filters.flow, "space": filters.space, "cluster": filters.cluster}
    require_selection(given, expected, filters.keep, getattr, known_names)
