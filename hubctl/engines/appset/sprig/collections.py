"""Sprig v3 list, dict and default functions (list.go, dict.go, defaults.go)."""

from __future__ import annotations

import copy

from hubctl.engines.appset.gotmpl.funcs import FuncError, registry
from hubctl.engines.appset.gotmpl.values import Int64, StrList, StrMap, type_name
from hubctl.engines.appset.mergo import is_empty_value
from hubctl.engines.appset.sprig.convert import NilList, go_json, strslice, strval, to_int

FUNCS, fn = registry()


def _tail(items: list, start: int, stop: int | None):
    """rest / initial: the slice, or Go's nil slice for an empty list (prints [], encodes as null)."""
    return items[start:stop] if items else NilList()


def _must_list(value, message: str) -> list:
    """`value` as a list, or Sprig's error: `message` with {kind} as Go's reflect Kind of the value."""
    if isinstance(value, (list, tuple)):
        return list(value)
    raise FuncError(message.format(kind=_kind_of(value)))


# -- lists ---------------------------------------------------------------------------------------------
fn("list", variadic="any")(lambda *items: list(items))
fn("tuple", variadic="any")(lambda *items: list(items))


def _first(v):
    items = _must_list(v, "Cannot find first on type {kind}")
    return items[0] if items else None


for _name in ("first", "mustFirst"):
    fn(_name, "any")(_first)
for _name in ("last", "mustLast"):
    fn(_name, "any")(lambda v: (_must_list(v, "Cannot find last on type {kind}") or [None])[-1])
for _name in ("rest", "mustRest"):
    fn(_name, "any")(lambda v: _tail(_must_list(v, "Cannot find rest on type {kind}"), 1, None))
for _name in ("initial", "mustInitial"):
    fn(_name, "any")(lambda v: _tail(_must_list(v, "Cannot find initial on type {kind}"), 0, -1))
for _name in ("append", "push", "mustAppend", "mustPush"):
    fn(_name, "any", "any")(lambda v, item: _must_list(v, "Cannot push on type {kind}") + [item])
for _name in ("prepend", "mustPrepend"):
    fn(_name, "any", "any")(lambda v, item: [item] + _must_list(v, "Cannot prepend on type {kind}"))
for _name in ("reverse", "mustReverse"):
    fn(_name, "any")(lambda v: list(reversed(_must_list(v, "Cannot find reverse on type {kind}"))))
for _name in ("compact", "mustCompact"):
    fn(_name, "any")(lambda v: [x for x in _must_list(v, "Cannot compact on type {kind}") if not is_empty(x)])
for _name in ("has", "mustHas"):
    fn(_name, "any", "any")(lambda needle, v: v is not None and any(
        _deep_equal(x, needle) for x in _must_list(v, "Cannot find has on type {kind}")))


@fn("concat", variadic="any")
def concat(*lists):
    # Sprig appends to a nil []interface{}: with nothing appended the result is nil (toJson: null)
    out: list = []
    for item in lists:
        out.extend(_must_list(item, "Cannot concat type {kind} as list"))
    return out if out else NilList()


def _uniq(v):
    out: list = []
    for item in _must_list(v, "Cannot find uniq on type {kind}"):
        if not any(_deep_equal(item, seen) for seen in out):
            out.append(item)
    return out


fn("uniq", "any")(_uniq)
fn("mustUniq", "any")(_uniq)


def _without(v, *omit):
    return [x for x in _must_list(v, "Cannot find without on type {kind}") if not any(_deep_equal(x, o) for o in omit)]


fn("without", "any", variadic="any")(_without)
fn("mustWithout", "any", variadic="any")(_without)


@fn("sortAlpha", "any")
def sort_alpha(v):
    if isinstance(v, (list, tuple)):
        return StrList(sorted(strslice(v)))
    return StrList([strval(v)])


def _slice(v, *indices):
    items = _must_list(v, "list should be type of slice or array but {kind}")
    start = to_int(indices[0]) if indices else 0
    end = to_int(indices[1]) if len(indices) > 1 else len(items)
    if start < 0 or end > len(items) or start > end:
        raise FuncError(f"runtime error: slice bounds out of range [{start}:{end}]")
    return items[start:end]


fn("slice", "any", variadic="any")(_slice)
fn("mustSlice", "any", variadic="any")(_slice)


def _chunk(size, v):
    items = _must_list(v, "Cannot chunk type {kind}")
    if size <= 0:
        raise FuncError("chunk size must be positive")
    return [items[i:i + size] for i in range(0, len(items), size)]


fn("chunk", "int", "any")(_chunk)
fn("mustChunk", "int", "any")(_chunk)


@fn("until", "int")
def until(count):
    step = 1 if count >= 0 else -1
    return [i for i in range(0, count, step)]


@fn("untilStep", "int", "int", "int")
def until_step(start, stop, step):
    if step == 0 or (step > 0 and start >= stop) or (step < 0 and start <= stop):
        return []
    return list(range(start, stop, step))


@fn("seq", variadic="int")
def seq(*params):
    if len(params) == 1:
        end = params[0]
        return " ".join(str(i) for i in (range(1, end + 1) if end >= 1 else range(1, end - 1, -1)))
    if len(params) == 2:
        start, end = params
        step = 1 if end >= start else -1
        return " ".join(str(i) for i in range(start, end + step, step))
    if len(params) == 3:
        start, step, end = params
        if step == 0 or (end < start and step > 0) or (end > start and step < 0):
            return ""
        return " ".join(str(i) for i in range(start, end + (1 if step > 0 else -1), step))
    return ""


# -- dicts ---------------------------------------------------------------------------------------------
@fn("dict", variadic="any")
def dict_(*pairs):
    out: dict = {}
    items = list(pairs) + ([""] if len(pairs) % 2 else [])
    for i in range(0, len(items), 2):
        out[strval(items[i])] = items[i + 1]
    return out


def _map(d, name: str) -> dict:
    if isinstance(d, dict):
        return d
    if d is None:
        return {}
    raise FuncError(f"wrong type for value; expected map[string]interface {{}}; got {type_name(d)}")


fn("get", "map", "str")(lambda d, key: (d or {}).get(key, ""))
fn("hasKey", "map", "str")(lambda d, key: key in (d or {}))


@fn("set", "map", "str", "any")
def set_(d, key, value):
    if d is None:
        raise FuncError("assignment to entry in nil map")
    d[key] = value
    return d


@fn("unset", "map", "str")
def unset(d, key):
    if d is not None:
        d.pop(key, None)
    return d


fn("keys", variadic="map")(lambda *ds: StrList(sorted(k for d in ds for k in (d or {}))))
fn("values", "map")(lambda d: [d[k] for k in sorted(d or {})])
fn("pick", "map", variadic="str")(lambda d, *keys: {k: d[k] for k in keys if k in (d or {})})
fn("omit", "map", variadic="str")(lambda d, *keys: {k: v for k, v in (d or {}).items() if k not in keys})
fn("pluck", "str", variadic="map")(lambda key, *ds: [d[key] for d in ds if d and key in d])


@fn("dig", variadic="any")
def dig(*args):
    if len(args) < 3:
        raise FuncError("dig needs at least three arguments")
    data, default, keys = args[-1], args[-2], args[:-2]
    if data is None:  # Sprig's ps[len(ps)-1].(map[string]interface{}) on nil
        raise FuncError("interface conversion: interface {} is nil, not map[string]interface {}")
    current = _map(data, "dig")
    for i, key in enumerate(keys):
        if not isinstance(key, str):
            raise FuncError(f"interface conversion: interface {{}} is {type_name(key)}, not string")
        if key not in current:
            return default
        if i == len(keys) - 1:
            return current[key]
        current = current[key]
        if not isinstance(current, dict):
            raise FuncError("interface conversion: interface {} is not map[string]interface {}")
    return default


def go_merge(dst: dict, src: dict, overwrite: bool) -> dict:
    """mergo v1.0 deepMerge of map[string]interface{} (Merge, or MergeWithOverwrite when `overwrite`).

    A nil source value is skipped, or written as nil when overwriting; a map merges into a map already
    there; otherwise the source value lands when overwriting or when the destination is missing or empty
    (Sprig's empty: nil, false, 0, "", empty list or map).
    """
    for key, value in src.items():
        present = key in dst
        current = dst.get(key)
        if value is None:
            if overwrite:
                dst[key] = None
            continue
        if isinstance(value, dict) and isinstance(current, dict):
            go_merge(current, value, overwrite)
            if current:
                continue
        if overwrite or not present or is_empty(current):
            dst[key] = value
    return dst


def _merge(dst, *srcs, overwrite=False):
    if dst is None:
        raise FuncError("merge destination is nil")
    for src in srcs:
        if src:
            go_merge(dst, src, overwrite)
    return dst


fn("merge", "map", variadic="map")(lambda dst, *srcs: _merge(dst, *srcs))
fn("mustMerge", "map", variadic="map")(lambda dst, *srcs: _merge(dst, *srcs))
fn("mergeOverwrite", "map", variadic="map")(lambda dst, *srcs: _merge(dst, *srcs, overwrite=True))
fn("mustMergeOverwrite", "map", variadic="map")(lambda dst, *srcs: _merge(dst, *srcs, overwrite=True))


def deep_copy(value):
    if value is None:
        raise FuncError("deepCopy of nil")
    return copy.deepcopy(value)


fn("deepCopy", "any")(deep_copy)
fn("mustDeepCopy", "any")(deep_copy)


# -- defaults ------------------------------------------------------------------------------------------
is_empty = is_empty_value  # Sprig's empty is mergo's isEmptyValue: nil, false, 0, "", empty list or map


@fn("default", "any", variadic="any")
def default(fallback, *given):
    if not given or is_empty(given[0]):
        return fallback
    return given[0]


fn("empty", "any")(is_empty)
fn("coalesce", variadic="any")(lambda *values: next((v for v in values if not is_empty(v)), None))
fn("all", variadic="any")(lambda *values: all(not is_empty(v) for v in values))
fn("any", variadic="any")(lambda *values: any(not is_empty(v) for v in values))
fn("ternary", "any", "any", "bool")(lambda yes, no, cond: yes if cond else no)
fn("deepEqual", "any", "any")(lambda a, b: _deep_equal(a, b))
fn("typeOf", "any")(lambda v: type_name(v))
fn("typeIs", "str", "any")(lambda t, v: type_name(v) == t)
fn("typeIsLike", "str", "any")(lambda t, v: type_name(v) in (t, t.lstrip("*")))
fn("kindOf", "any")(lambda v: _kind_of(v))
fn("kindIs", "str", "any")(lambda k, v: _kind_of(v) == k)


@fn("fail", "str")
def fail(message):
    raise FuncError(message)


def _kind_of(value) -> str:
    if value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Int64):
        return "int64"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, (list, tuple)):
        return "slice"
    return "struct"


def _deep_equal(a, b) -> bool:
    if type_name(a) != type_name(b):
        return False
    return go_json(a) == go_json(b) if isinstance(a, (dict, list)) else a == b


__all__ = ["FUNCS", "StrMap", "deep_copy", "go_merge", "is_empty"]
