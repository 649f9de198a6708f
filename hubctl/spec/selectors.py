"""Label selectors in specs: built from validated spec data, and the semantic problems the schema cannot see.

The model, the matcher, the label index and the explanations are `hubctl.base.selectors`, re-exported here
for the spec and render modules that read them as `spec.selectors`.
"""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.base.selectors import LabelIndex, Requirement, Selector, explain, expression_problems, from_dict, matches

__all__ = ["LabelIndex", "Requirement", "Selector", "explain", "matches", "selector_from", "selector_problems"]

_PROBLEMS = {  # the schema's enum already refuses an unknown operator
    "values missing": ("operator {} needs at least one value", "add `values: [...]`"),
    "values given": ("operator {} takes no values", "remove `values`"),
}


def selector_from(data: Mapping | None) -> Selector:
    """Build a Selector from validated spec data."""
    return from_dict(data)


def selector_problems(data: Mapping | None) -> list[tuple[tuple, str, str]]:
    """Semantic errors in a selector: (relative path, message, hint)."""
    return [(("matchExpressions", index, "values"), _PROBLEMS[problem][0].format(operator), _PROBLEMS[problem][1])
            for index, operator, problem in expression_problems(data) if problem in _PROBLEMS]
