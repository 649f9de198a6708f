"""Kubernetes label selectors over cluster labels, and explanations of why they match or not."""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.spec.model import Requirement, Selector


def requirement_matches(req: Requirement, labels: Mapping[str, str]) -> bool:
    if req.operator == "In":
        return req.key in labels and labels[req.key] in req.values
    if req.operator == "NotIn":
        return req.key not in labels or labels[req.key] not in req.values
    if req.operator == "Exists":
        return req.key in labels
    return req.key not in labels  # DoesNotExist


def matches(selector: Selector, labels: Mapping[str, str]) -> bool:
    """True when every matchLabels entry and every expression holds (the empty selector matches all)."""
    for key, value in selector.match_labels.items():
        if labels.get(key) != value:
            return False
    return all(requirement_matches(req, labels) for req in selector.match_expressions)


class LabelIndex:
    """Clusters by label, so a selector is answered with set operations instead of a scan."""

    def __init__(self, labelled: Mapping[str, Mapping[str, str]]):
        self.all = frozenset(labelled)
        self.by_key: dict[str, set[str]] = {}
        self.by_pair: dict[tuple[str, str], set[str]] = {}
        for name, labels in labelled.items():
            for key, value in labels.items():
                self.by_key.setdefault(key, set()).add(name)
                self.by_pair.setdefault((key, value), set()).add(name)

    def _with_any(self, key: str, values) -> set[str]:
        out: set[str] = set()
        for value in values:
            out |= self.by_pair.get((key, value), set())
        return out

    def select(self, selector: Selector) -> frozenset[str]:
        """The names the selector matches (the empty selector matches all)."""
        result = set(self.all)
        for key, value in selector.match_labels.items():
            result &= self.by_pair.get((key, value), set())
        for req in selector.match_expressions:
            if req.operator == "In":
                result &= self._with_any(req.key, req.values)
            elif req.operator == "NotIn":
                result -= self._with_any(req.key, req.values)
            elif req.operator == "Exists":
                result &= self.by_key.get(req.key, set())
            else:
                result -= self.by_key.get(req.key, set())
        return frozenset(result)


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
        lines.append((requirement_matches(req, labels), f"{req.key} {req.operator}{values} (cluster has {shown})"))
    if not lines:
        lines.append((True, "empty selector: matches every cluster"))
    return lines


def selector_from(data: Mapping | None) -> Selector:
    """Build a Selector from validated spec data."""
    if not data:
        return Selector()
    reqs = tuple(Requirement(e["key"], e["operator"], tuple(e.get("values") or ()))
                 for e in data.get("matchExpressions") or ())
    return Selector(dict(data.get("matchLabels") or {}), reqs)


def selector_problems(data: Mapping | None) -> list[tuple[tuple, str, str]]:
    """Semantic errors in a selector: (relative path, message, hint)."""
    out = []
    for i, expr in enumerate((data or {}).get("matchExpressions") or ()):
        op, values = expr.get("operator"), expr.get("values") or []
        if op in ("In", "NotIn") and not values:
            out.append((("matchExpressions", i, "values"), f"operator {op} needs at least one value",
                        "add `values: [...]`"))
        if op in ("Exists", "DoesNotExist") and values:
            out.append((("matchExpressions", i, "values"), f"operator {op} takes no values",
                        "remove `values`"))
    return out
