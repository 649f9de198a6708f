"""Reading nested mappings by a path of keys (params, template contexts, generator parameters)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MISSING = object()  # what `dig` gives for a path that is not there (None may be a value)


def dig(mapping, path: Iterable[str]):
    """The value at `path` (keys, outermost first) in nested mappings, or MISSING."""
    node = mapping
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return MISSING
        node = node[key]
    return node
