"""Go text/template's predefined functions (text/template/funcs.go)."""

from __future__ import annotations

from urllib.parse import quote_plus

from hubctl.engines.appset.gotmpl.funcs import FuncError, FuncSpec, registry
from hubctl.engines.appset.gotmpl.gofmt import sprint, sprintf, sprintln
from hubctl.engines.appset.gotmpl.values import MISSING, Int64, StrMap, Uint8, truth, type_name

BUILTINS, fn = registry()
BUILTINS["and"] = FuncSpec("and", None, ("value",), "value", lazy=True)
BUILTINS["or"] = FuncSpec("or", None, ("value",), "value", lazy=True)


@fn("not", "value")
def not_(value):
    return not truth(value)


@fn("len", "value")
def len_(value):
    # funcs.go length: indirect() reports a nil interface; an invalid Value panics in item.Type().
    if value is None:
        raise FuncError("len of nil pointer")
    if value is MISSING:
        raise FuncError(_ZERO_VALUE_TYPE)
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, (list, tuple, dict)):
        return len(value)
    raise FuncError(f"len of type {type_name(value)}")


_ZERO_VALUE_TYPE = "reflect: call of reflect.Value.Type on zero Value"


def _index_arg(value, cap: int) -> int:
    """funcs.go indexArg: an int index in [0, cap]."""
    if isinstance(value, bool) or not isinstance(value, int):
        if value is None or value is MISSING:
            raise FuncError("cannot index slice/array with nil")
        raise FuncError(f"cannot index slice/array with type {type_name(value)}")
    if value < 0 or value > cap:
        raise FuncError(f"index out of range: {value}")
    return value


def _index_seq(seq, idx, kind: str):
    x = _index_arg(idx, len(seq))
    if x == len(seq):  # indexArg allows len; reflect's Index then panics
        raise FuncError(f"reflect: {kind} index out of range")
    return seq[x]


@fn("index", "value", variadic="value")
def index(item, *indexes):
    # funcs.go index: indirectInterface first (nil -> untyped nil), then indirect() per step.
    if item is MISSING or item is None:
        raise FuncError("index of untyped nil")
    for idx in indexes:
        if item is None:
            raise FuncError("index of nil pointer")
        if isinstance(item, dict):
            if idx is None or idx is MISSING:
                raise FuncError("value is nil; should be of type string")
            if not isinstance(idx, str):
                raise FuncError(f"value has type {type_name(idx)}; should be string")
            zero = "" if isinstance(item, StrMap) else None
            item = item.get(idx, zero)
        elif isinstance(item, str):
            item = Uint8(_index_seq(item.encode(), idx, "string"))
        elif isinstance(item, (list, tuple)):
            item = _index_seq(item, idx, "slice")
        else:
            raise FuncError(f"can't index item of type {type_name(item)}")
    return item


@fn("slice", "value", variadic="value")
def slice_(item, *indexes):
    # funcs.go slice: bounds checked against cap (== len for template data), then i <= j <= k.
    if item is MISSING or item is None:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data = item.encode()
        start, end = _bounds(indexes, len(data))
        return data[start:end].decode(errors="surrogateescape")
    if isinstance(item, (list, tuple)):
        start, end = _bounds(indexes, len(item))
        return type(item)(item[start:end]) if isinstance(item, list) else list(item[start:end])
    raise FuncError(f"can't slice item of type {type_name(item)}")


def _bounds(indexes, length: int) -> tuple[int, int]:
    idx = [0, length, 0]
    for i, value in enumerate(indexes):
        idx[i] = _index_arg(value, length)
    if idx[0] > idx[1]:
        raise FuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise FuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    return idx[0], idx[1]


@fn("print", variadic="any")
def print_(*args):
    return sprint(*args)


@fn("printf", "str", variadic="any")
def printf(fmt, *args):
    return sprintf(fmt, *args)


@fn("println", variadic="any")
def println(*args):
    return sprintln(*args)


def _eval_args(args) -> str:
    # funcs.go evalArgs: printableValue turns each nil operand into the *string* "<no value>".
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(*("<no value>" if a is None or a is MISSING else a for a in args))


@fn("html", variadic="any")
def html(*args):
    text = _eval_args(args)
    table = {"&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "\0": "\ufffd"}
    return "".join(table.get(c, c) for c in text)


@fn("js", variadic="any")
def js(*args):
    text = _eval_args(args)
    table = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026",
             "=": "\\u003D"}  # funcs.go jsIsSpecial: no backtick
    out = []
    for ch in text:
        if ch in table:
            out.append(table[ch])
        elif ord(ch) < 0x20 or not ch.isprintable():
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


@fn("urlquery", variadic="any")
def urlquery(*args):
    return quote_plus(_eval_args(args), safe="-_.~")


@fn("call", "value", variadic="value")
def call(fn_value, *args, callee: str = ""):
    # Template data holds no Go funcs, so funcs.go call always fails.
    if fn_value is None or fn_value is MISSING:
        raise FuncError("call of nil")
    raise FuncError(f"non-function {callee} of type {type_name(fn_value)}")


# -- comparisons (funcs.go eq/lt: indirectInterface, then basicKind) ------------------------------------
def _kind(value) -> str:
    if value is MISSING or value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Uint8):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "other"  # basicKind's invalidKind with errBadComparisonType: slices, maps


def _nil(value) -> bool:
    return value is None or value is MISSING


@fn("eq", "value", variadic="value")
def eq(first, *others):
    if not others:
        raise FuncError("missing argument for comparison")
    k1 = _kind(first)
    for other in others:
        k2 = _kind(other)
        if {k1, k2} <= {"invalid", "other"}:  # both basicKind invalidKind: nil or non-basic
            if _eq_composite(first, other):
                return True
        elif k1 != k2 and {k1, k2} == {"int", "uint"}:  # funcs.go: ints compare regardless of sign
            if first == other:
                return True
        elif k1 != k2:
            if not _nil(first) and not _nil(other):
                raise FuncError("incompatible types for comparison")
        elif first == other:
            return True
    return False


def _eq_composite(first, other) -> bool:
    if _nil(first) or _nil(other):
        return _nil(first) == _nil(other)
    if type_name(first) != type_name(other):
        raise FuncError(f"non-comparable types {sprintf('%s', first)}: {type_name(first)}, "
                        f"{type_name(other)}: {sprint(other)}")
    raise FuncError(f"non-comparable type {sprintf('%s', other)}: {type_name(other)}")


@fn("ne", "value", "value")
def ne(a, b):
    return not eq(a, b)


def _basic(value) -> str:
    kind = _kind(value)
    if kind in ("invalid", "other"):
        raise FuncError("invalid type for comparison")
    return kind


@fn("lt", "value", "value")
def lt(a, b):
    ka, kb = _basic(a), _basic(b)
    if ka != kb and {ka, kb} != {"int", "uint"}:
        raise FuncError("incompatible types for comparison")
    if ka == "bool":
        raise FuncError("invalid type for comparison")
    return a < b


@fn("le", "value", "value")
def le(a, b):
    return lt(a, b) or eq(a, b)


@fn("gt", "value", "value")
def gt(a, b):
    return not le(a, b)


@fn("ge", "value", "value")
def ge(a, b):
    return not lt(a, b)


__all__ = ["BUILTINS", "Int64"]
