"""Kubernetes label selectors in their string form (`a=b,c!=d,e in (x,y),!f`): parse and match.

Used by the emulator to answer `labelSelector` / `selector` queries, and by the readers to build them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from hubctl.errors import UsageError

_SET_RE = re.compile(r"^\s*([^\s!=()]+)\s+(in|notin)\s+\(([^()]*)\)\s*$")
_EQ_RE = re.compile(r"^\s*([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)\s*$")
_EXISTS_RE = re.compile(r"^\s*(!?)\s*([^\s!=(),]+)\s*$")


@dataclass(frozen=True)
class Requirement:
    """One clause: key, operator (=, !=, in, notin, exists, !exists) and values."""

    key: str
    op: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        value = labels.get(self.key)
        if self.op == "exists":
            return self.key in labels
        if self.op == "!exists":
            return self.key not in labels
        if self.op in ("=", "in"):
            return value is not None and value in self.values
        return value is None or value not in self.values  # != and notin match a missing key


def _split_clauses(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    clauses, depth, current = [], 0, []
    for char in text:
        if char == "," and depth == 0:
            clauses.append("".join(current))
            current = []
            continue
        depth += char == "("
        depth -= char == ")"
        current.append(char)
    clauses.append("".join(current))
    return [c for c in clauses if c.strip()]


def _parse_clause(clause: str) -> Requirement:
    if match := _SET_RE.match(clause):
        values = tuple(v.strip() for v in match.group(3).split(",") if v.strip())
        return Requirement(match.group(1), match.group(2), values)
    if match := _EQ_RE.match(clause):
        op = "!=" if match.group(2) == "!=" else "="
        return Requirement(match.group(1), op, (match.group(3),))
    if match := _EXISTS_RE.match(clause):
        return Requirement(match.group(2), "!exists" if match.group(1) else "exists")
    raise UsageError(f"invalid label selector clause {clause.strip()!r}",
                     hint="use key=value, key!=value, key in (a,b), key notin (a,b), key or !key")


def parse(text: str | None) -> tuple[Requirement, ...]:
    """Parse a selector string; the empty selector matches everything.

    Raises:
        UsageError: a clause is not valid selector syntax.
    """
    return tuple(_parse_clause(c) for c in _split_clauses(text or ""))


def matches(requirements: tuple[Requirement, ...], labels: Mapping[str, str] | None) -> bool:
    """True when every requirement holds for `labels`."""
    labels = labels or {}
    return all(r.matches(labels) for r in requirements)


def join(labels: Mapping[str, str | None]) -> str:
    """An equality selector from a mapping, skipping None values, keys sorted: `a=1,b=2`."""
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()) if v is not None)
