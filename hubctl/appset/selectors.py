"""Kubernetes label selectors (matchLabels AND matchExpressions) over plain string maps."""

from __future__ import annotations

from hubctl.appset.gotmpl.values import sprint_value
from hubctl.errors import AppSetError
from hubctl.spec import selectors
from hubctl.spec.model import Requirement, Selector

_OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist"}


def compile_selector(selector: dict | None, where: str):
    """A predicate labels -> bool for a LabelSelector dict; None/{} select everything.

    Raises:
        AppSetError: an unknown operator or a malformed requirement.
    """
    selector = selector or {}
    match_labels = dict(selector.get("matchLabels") or {})
    requirements = []
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key", ""), expr.get("operator", ""), list(expr.get("values") or [])
        if op not in _OPERATORS:
            raise AppSetError(f"{where}: {op!r} is not a valid label selector operator".replace("'", '"'))
        if op in ("In", "NotIn") and not values:
            raise AppSetError(f"{where}: values: Invalid value: for 'in', 'notin' operators, values set "
                              "can't be empty")
        if op in ("Exists", "DoesNotExist") and values:
            raise AppSetError(f"{where}: values: Invalid value: values set must be empty for exists and "
                              "does not exist")
        requirements.append(Requirement(key, op, tuple(str(v) for v in values)))
    compiled = Selector({k: str(v) for k, v in match_labels.items()}, tuple(requirements))
    return lambda labels: selectors.matches(compiled, labels)


def is_empty_selector(selector: dict | None) -> bool:
    return selectors.selector_from(selector).empty


def flatten_params(params: dict) -> dict[str, str]:
    """Parameters as a flat string map (jeremywohl/flatten DotStyle, values as %v), for post-selectors."""
    out: dict[str, str] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict) and value:
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list) and value:
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}" if prefix else str(i), v)
        else:
            out[prefix] = sprint_value(value)
    for key, value in params.items():
        walk(key, value)
    return out
