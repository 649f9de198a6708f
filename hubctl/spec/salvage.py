"""A document that failed its schema, with the offending parts taken out, so its other parts are checked too.

A flow with a mistyped `syncPolicy` still has a space, a blueprint and a selector that may be wrong on
their own; validate reports those in the same run. The pruned document is used only for checks: the
fleet it belongs to has problems, so nothing renders from it. Checks that could only follow from what was
taken out (a missing blueprint after `bluepritn:` was removed) are not reported (see `Document.pruned`).
"""

from __future__ import annotations

import copy

from hubctl.engines.yaml.yamlload import Document

_ROUNDS = 3  # removing a part can leave its parent missing a required key: take the parent out next
_GONE = object()


def _offending_paths(errors) -> list[tuple]:
    out = []
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            out += [path + (key,) for key in error.instance if key not in allowed]
        elif "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
            out.append(path + (error.instance,))
        else:
            out.append(path)
    return out


def _mark(data, path: tuple) -> None:
    parent = data
    try:
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]]  # noqa: B018 - it must exist to be taken out
    except (KeyError, IndexError, TypeError):
        return  # inside something already taken out
    parent[path[-1]] = _GONE


def _sweep(value):
    if isinstance(value, dict):
        return {k: _sweep(v) for k, v in value.items() if v is not _GONE}
    if isinstance(value, list):
        return [_sweep(v) for v in value if v is not _GONE]
    return value


def salvaged(doc: Document, validator) -> Document | None:
    """`doc` without the parts its schema refuses, when what is left is valid (else None).

    The copy's `pruned` lists the key paths taken out; its positions are the original's.
    """
    data, pruned = doc.data, []
    for _ in range(_ROUNDS):
        paths = _offending_paths(validator.iter_errors(data))
        if not paths:
            out = copy.copy(doc)
            out.data, out.pruned, out.valid = data, tuple(pruned), True
            return out
        if any(len(p) < 2 for p in paths):  # the document itself, or a top-level section: nothing left to check
            return None
        data = copy.deepcopy(data)
        for path in paths:
            _mark(data, path)
        pruned += paths
        data = _sweep(data)
    return None
