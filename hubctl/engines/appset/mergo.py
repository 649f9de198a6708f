"""dario.cat/mergo v1.0.x `Merge` on map[string]interface{} parameter sets, as Argo CD's matrix and merge
generators call it (deepMerge, Map branch; isEmptyValue dereferences interfaces).

Without override (matrix): a key of `src` fills `dst` only where `dst` lacks it or holds an empty value
(nil, false, 0, "", empty list or map); nested maps merge in place; a nil in `src` is skipped.
With override (merge generator): every value of `src` replaces `dst`'s, empty ones and nil included;
nested maps still merge key by key. Nested maps are merged in place, not copied, as in Go: a map
shared by several parameter sets is changed for all of them.
"""

from __future__ import annotations


def is_empty_value(value) -> bool:
    """mergo's isEmptyValue(v, shouldDereference=true) for a value held in an interface."""
    if value is None:
        return True
    if isinstance(value, (str, list, tuple, dict, bytes)):
        return len(value) == 0
    if isinstance(value, (bool, int, float)):
        return not value
    return False


def merge(dst: dict, src: dict, override: bool = False) -> dict:
    """mergo.Merge(&dst, src[, mergo.WithOverride]) for map[string]interface{} values; returns dst."""
    parent_src_empty = is_empty_value(src)
    for key, value in src.items():
        if value is None:
            if override:
                dst[key] = None
            continue
        present = key in dst
        current = dst.get(key)
        if isinstance(value, dict):
            if isinstance(current, dict):
                merge(current, value, override)
        elif isinstance(value, list):
            # The Slice branch compares the *parent* maps' emptiness, then stores the chosen slice.
            chosen = current if present and current is not None else []
            if not parent_src_empty and (override or is_empty_value(dst)):
                chosen = value
            dst[key] = chosen
        if present and not is_empty_value(current) and (
                isinstance(value, list) or (isinstance(value, dict) and isinstance(current, dict))):
            continue
        if override or not present or is_empty_value(current):
            dst[key] = value
    return dst
