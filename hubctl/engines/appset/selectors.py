"""Label selectors of ApplicationSet generators (matchLabels AND matchExpressions) over plain string maps,
refused with Argo CD's messages; the model and the matcher are `hubctl.base.selectors`."""

from __future__ import annotations

from hubctl.base import selectors
from hubctl.base.errors import AppSetError
from hubctl.engines.appset.gotmpl.sprint import sprint_value

_REFUSALS = {
    "values missing": "values: Invalid value: for 'in', 'notin' operators, values set can't be empty",
    "values given": "values: Invalid value: values set must be empty for exists and does not exist",
}


def compile_selector(selector: dict | None, where: str):
    """A predicate labels -> bool for a LabelSelector dict; None/{} select everything.

    Raises:
        AppSetError: an unknown operator or a malformed requirement.
    """
    for _, operator, problem in selectors.expression_problems(selector):
        if problem == "operator":
            raise AppSetError(f"{where}: {operator!r} is not a valid label selector operator".replace("'", '"'))
        raise AppSetError(f"{where}: {_REFUSALS[problem]}")
    compiled = selectors.from_dict(selector)
    return lambda labels: selectors.matches(compiled, labels)


def is_empty_selector(selector: dict | None) -> bool:
    return selectors.from_dict(selector).empty


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
