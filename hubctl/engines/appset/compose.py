"""The matrix and merge generators (one level of nesting, as Argo CD allows).

Each runs its children through `transform` (generators.transform, which runs these in turn), handed in by
the caller rather than imported: the recursion stays in one place and the modules do not import each other.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from hubctl.base.errors import AppSetError
from hubctl.engines.appset import mergo
from hubctl.engines.appset.context import Context
from hubctl.engines.appset.sprig.convert import go_json

Transform = Callable[[dict, Context, str, dict | None], list[list[dict]]]

_COMPOSITE = ("matrix", "merge")


def _children(spec: dict, where: str, kind: str) -> list[dict]:
    children = spec.get("generators") or []
    for i, child in enumerate(children):
        for composite in _COMPOSITE:
            inner = (child or {}).get(composite) if isinstance(child, dict) else None
            if inner and any(isinstance(g, dict) and any(g.get(c) for c in _COMPOSITE)
                             for g in inner.get("generators") or []):
                raise AppSetError(f"{where}.generators[{i}]: {kind} and merge generators can be nested only "
                                  "one level deep")
    return children


def _child_params(child: dict, ctx: Context, where: str, interpolate: dict | None, transform: Transform) -> list[dict]:
    results = transform(child, ctx, where, interpolate)
    if len(results) > 1:
        raise AppSetError(f"{where}: found more than one generator in matrix.Generators")
    return results[0]


def matrix_params(spec: dict, ctx: Context, where: str, transform: Transform) -> list[dict]:
    """The cartesian product of two children; the second is rendered with each of the first's sets."""
    children = _children(spec, where, "matrix")
    if len(children) < 2:
        raise AppSetError(f"{where}: found less than two generators, Matrix support only two")
    if len(children) > 2:
        raise AppSetError(f"{where}: found more than two generators, Matrix support only two")
    first = _child_params(children[0], ctx, f"{where}.generators[0]", None, transform)
    out: list[dict] = []
    for prev in first:
        second = _child_params(children[1], ctx, f"{where}.generators[1]", prev, transform)
        for curr in second:
            out.append(_combine(prev, curr, ctx.go_template, where))
    return out


def _combine(prev: dict, curr: dict, go_template: bool, where: str) -> dict:
    if go_template:
        return mergo.merge(mergo.merge({}, prev), curr)
    combined = dict(prev)
    for key, value in curr.items():
        if key in combined and combined[key] != value:
            raise AppSetError(f"{where}: found duplicate key {key} with different value, a: {combined[key]} "
                              f",b: {value}")
        combined[key] = value
    return combined


def merge_params(spec: dict, ctx: Context, where: str, transform: Transform) -> list[dict]:
    """The first child's sets, each overridden by the later children's set with the same merge keys."""
    children = _children(spec, where, "merge")
    if len(children) < 2:
        raise AppSetError(f"{where}: found less than two generators, Merge requires two or more")
    sets = [_child_params(child, ctx, f"{where}.generators[{i}]", None, transform) for i, child in enumerate(children)]
    keys = list(dict.fromkeys(spec.get("mergeKeys") or []))
    if not keys:  # checked after the children ran, as getParamSetsByMergeKey does
        raise AppSetError(f"{where}: error getting param sets by merge key: no merge keys were specified, "
                          "Merge requires at least one")
    base = _by_merge_key(sets[0], keys, where)
    for later in sets[1:]:
        index = _by_merge_key(later, keys, where)
        for key, params in base.items():
            override = index.get(key)
            if override is None:
                continue
            if ctx.go_template:
                mergo.merge(params, override, override=True)
            else:
                params.update(override)
    return list(base.values())


def _by_merge_key(sets: list[dict], keys: list[str], where: str) -> dict[str, dict]:
    """getParamSetsByMergeKey: every set of every child, the first included, must be unique by the keys."""
    index: dict[str, dict] = {}
    for params in sets:
        key = _merge_key(params, keys)
        if key in index:
            raise AppSetError(f"{where}: error getting param sets by merge key: the parameters from a generator "
                              "were not unique by the given mergeKeys, Merge requires all param sets to be "
                              f"unique. Duplicate key was {key}")
        index[key] = params
    return index


def _merge_key(params: dict, keys: list[str]) -> str:
    """json.Marshal of {key: paramSet[key]}: top-level lookups only, so a dotted key of a goTemplate set
    (nested maps) is null, as in Argo CD."""
    values = {key: params.get(key) for key in sorted(keys)}
    return go_json(json.loads(json.dumps(values, default=str)))
