"""Kubernetes label selectors: one model, one matcher, and a parser for each of the two forms.

The structured form (`matchLabels` and `matchExpressions`: flow and space specs, ApplicationSet generators)
is read by `from_dict`, the string form of list queries (`a=b,c!=d,e in (x,y),!f`: `status` and the hub
emulator) by `parse`. Both give a `Selector`; `matches` answers it over a plain label map. The string
operators map onto the structured ones as Kubernetes defines them: `=` and `==` are `In` with one value,
`!=` is `NotIn` with one value, `key` is `Exists`, `!key` is `DoesNotExist`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from hubctl.base.errors import UsageError

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


@dataclass(frozen=True)
class Requirement:
    """One matchExpressions entry of a label selector."""

    key: str
    operator: str  # In | NotIn | Exists | DoesNotExist
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "In":
            return self.key in labels and labels[self.key] in self.values
        if self.operator == "NotIn":  # a missing key is not in any set
            return self.key not in labels or labels[self.key] not in self.values
        if self.operator == "Exists":
            return self.key in labels
        return self.key not in labels  # DoesNotExist


@dataclass(frozen=True)
class Selector:
    """A label selector: every matchLabels entry and every expression must hold. The empty one matches all."""

    match_labels: Mapping[str, str] = field(default_factory=dict)
    match_expressions: tuple[Requirement, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.match_labels and not self.match_expressions

    def to_dict(self) -> dict:
        out: dict = {}
        if self.match_labels:
            out["matchLabels"] = dict(sorted(self.match_labels.items()))
        if self.match_expressions:
            out["matchExpressions"] = [
                {"key": r.key, "operator": r.operator, **({"values": list(r.values)} if r.values else {})}
                for r in self.match_expressions
            ]
        return out


def matches(selector: Selector, labels: Mapping[str, str] | None) -> bool:
    """True when every matchLabels entry and every expression holds for `labels` (None: no labels)."""
    labels = labels or {}
    for key, value in selector.match_labels.items():
        if labels.get(key) != value:
            return False
    return all(req.matches(labels) for req in selector.match_expressions)


# -- the structured form ------------------------------------------------------------------------------
def from_dict(data: Mapping | None) -> Selector:
    """The Selector of a LabelSelector mapping (values as strings); None or {} is the empty selector.

    Checks nothing: `expression_problems` says what Kubernetes would refuse."""
    if not data:
        return Selector()
    reqs = tuple(Requirement(expr.get("key", ""), expr.get("operator", ""),
                             tuple(str(v) for v in expr.get("values") or ()))
                 for expr in data.get("matchExpressions") or ())
    return Selector({key: str(value) for key, value in (data.get("matchLabels") or {}).items()}, reqs)


def expression_problems(data: Mapping | None) -> Iterator[tuple[int, str, str]]:
    """(index, operator, problem) for each matchExpressions entry Kubernetes refuses, in order. The problem
    is "operator" (not one of OPERATORS), "values missing" (In and NotIn need values) or "values given"
    (Exists and DoesNotExist take none)."""
    for index, expr in enumerate((data or {}).get("matchExpressions") or ()):
        operator, values = expr.get("operator", ""), expr.get("values") or ()
        if operator not in OPERATORS:
            yield index, operator, "operator"
        elif operator in ("In", "NotIn") and not values:
            yield index, operator, "values missing"
        elif operator in ("Exists", "DoesNotExist") and values:
            yield index, operator, "values given"


# -- the string form ----------------------------------------------------------------------------------
_SET_RE = re.compile(r"^\s*([^\s!=()]+)\s+(in|notin)\s+\(([^()]*)\)\s*$")
_EQ_RE = re.compile(r"^\s*([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)\s*$")
_EXISTS_RE = re.compile(r"^\s*(!?)\s*([^\s!=(),]+)\s*$")


def parse(text: str | None) -> Selector:
    """Parse a selector string; the empty string (or None) matches everything.

    Raises:
        UsageError: a clause is not valid selector syntax.
    """
    return Selector(match_expressions=tuple(_parse_clause(c) for c in _split_clauses(text or "")))


def join(labels: Mapping[str, str | None]) -> str:
    """An equality selector string from a mapping, skipping None values, keys sorted: `a=1,b=2`."""
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()) if v is not None)


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
        return Requirement(match.group(1), "In" if match.group(2) == "in" else "NotIn", values)
    if match := _EQ_RE.match(clause):
        return Requirement(match.group(1), "NotIn" if match.group(2) == "!=" else "In", (match.group(3),))
    if match := _EXISTS_RE.match(clause):
        return Requirement(match.group(2), "DoesNotExist" if match.group(1) else "Exists")
    raise UsageError(f"invalid label selector clause {clause.strip()!r}",
                     hint="use key=value, key!=value, key in (a,b), key notin (a,b), key or !key")


# -- answering many clusters, and saying why ----------------------------------------------------------
class LabelIndex:
    """Names by label, so a selector is answered with set operations instead of a scan."""

    def __init__(self, labelled: Mapping[str, Mapping[str, str]]):
        self.all = frozenset(labelled)
        self.by_key: dict[str, set[str]] = {}
        self.by_pair: dict[tuple[str, str], set[str]] = {}
        for name, labels in labelled.items():
            for key, value in labels.items():
                self.by_key.setdefault(key, set()).add(name)
                self.by_pair.setdefault((key, value), set()).add(name)

    def _with_any(self, key: str, values) -> set[str]:
        """The names with `key` set to one of `values` (the index's own set for one value: not to be changed)."""
        if len(values) == 1:
            return self.by_pair.get((key, values[0]), _NONE)
        out: set[str] = set()
        for value in values:
            out |= self.by_pair.get((key, value), _NONE)
        return out

    def select(self, selector: Selector) -> frozenset[str]:
        """The names the selector matches (the empty selector matches all)."""
        wanted: list[set[str]] = [self.by_pair.get(pair, _NONE) for pair in selector.match_labels.items()]
        refused: list[set[str]] = []
        for req in selector.match_expressions:
            if req.operator == "In":
                wanted.append(self._with_any(req.key, req.values))
            elif req.operator == "NotIn":
                refused.append(self._with_any(req.key, req.values))
            elif req.operator == "Exists":
                wanted.append(self.by_key.get(req.key, _NONE))
            else:
                refused.append(self.by_key.get(req.key, _NONE))
        if wanted:  # from the smallest term: no copy of every name for each selector
            wanted.sort(key=len)
            result = wanted[0].intersection(*wanted[1:])
        else:
            result = self.all
        return frozenset(result.difference(*refused))


_NONE: frozenset[str] = frozenset()


def explain(selector: Selector, labels: Mapping[str, str]) -> list[tuple[bool, str]]:
    """One (held, reason) line per term of the selector, for `hubctl placement --explain`."""
    lines = []
    for key, value in selector.match_labels.items():
        actual = labels.get(key)
        shown = "absent" if actual is None else f"`{actual}`"
        lines.append((actual == value, f"matchLabels {key}={value} (cluster has {shown})"))
    for req in selector.match_expressions:
        actual = labels.get(req.key)
        shown = "absent" if actual is None else f"`{actual}`"
        values = f" [{', '.join(req.values)}]" if req.values else ""
        lines.append((req.matches(labels), f"{req.key} {req.operator}{values} (cluster has {shown})"))
    if not lines:
        lines.append((True, "empty selector: matches every cluster"))
    return lines
