"""Sprig's conversion helpers and functions (strval, strslice, spf13/cast rules, JSON as Go encodes it)."""

from __future__ import annotations

import json
import math
import re

from hubctl.engines.appset.gotmpl.funcs import FuncError, registry
from hubctl.engines.appset.gotmpl.sprint import sprint_value
from hubctl.engines.appset.gotmpl.values import Int64, StrList, format_float
from hubctl.engines.appset.sprig.yamlv2_resolve import parse_go_int

FUNCS, fn = registry()


class NilList(list):
    """A nil []interface{} (Sprig's rest/initial of an empty list): prints [] but encodes as JSON null."""

    __slots__ = ()


class NilStrList(StrList):
    """A nil []string (regexFindAll without a match, regexSplit with n 0)."""

    __slots__ = ()


def strval(value) -> str:
    """Sprig strval: strings as is, everything else as fmt %v."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return sprint_value(value)


def strslice(value) -> list[str]:
    """Sprig strslice: a list of strings from a list (nil elements dropped) or a single value."""
    if isinstance(value, StrList):
        return list(value)
    if isinstance(value, (list, tuple)):
        return [strval(v) for v in value if v is not None]
    if value is None:
        return []
    return [strval(value)]


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _trim_zero_decimal(s: str) -> str:
    """cast's trimZeroDecimal: "12.00" -> "12"; "12." and "12.5" stay."""
    found_zero = False
    for i in range(len(s), 0, -1):
        c = s[i - 1]
        if c == ".":
            if found_zero:
                return s[:i - 1]
        elif c == "0":
            found_zero = True
        else:
            return s
    return s


def float_to_int(value: float) -> int:
    """Go's int(f) on amd64: NaN, infinities and out-of-range values become the minimum int64."""
    if not math.isfinite(value) or not (-(2.0**63) <= value < 2.0**63):
        return _INT64_MIN
    return int(value)


def to_int(value) -> int:
    """spf13/cast v1.7.1 ToInt64 ignoring errors (0 on failure)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float_to_int(value)
    if isinstance(value, str):
        parsed = parse_go_int(_trim_zero_decimal(value))
        return 0 if parsed is None else parsed
    return 0


_GO_FLOAT = re.compile(r"[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9]+)?"
                       r"|inf(?:inity)?|nan)", re.I)


def to_float(value) -> float:
    """spf13/cast v1.7.1 ToFloat64 ignoring errors (strconv.ParseFloat: no spaces, overflow is an error)."""
    if isinstance(value, (bool, int, float)):
        return float(value)
    if isinstance(value, str):
        if not _GO_FLOAT.fullmatch(value) or not any(c.isdigit() for c in value) and "n" not in value.lower():
            return 0.0
        try:
            result = float(value.replace("_", ""))
        except ValueError:
            return 0.0
        return 0.0 if math.isinf(result) and "inf" not in value.lower() else result
    return 0.0


fn("atoi", "str")(lambda s: atoi(s))  # atoi is defined below
fn("int", "any")(lambda v: to_int(v))
fn("int64", "any")(lambda v: Int64(to_int(v)))
fn("float64", "any")(lambda v: to_float(v))
fn("toStrings", "any")(lambda v: StrList(strslice(v)))
fn("toDecimal", "any")(lambda v: Int64(_to_decimal(v)))


def atoi(text: str) -> int:
    """strconv.Atoi with the error dropped: syntax errors give 0, out-of-range values clamp."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return 0
    return min(max(int(text), _INT64_MIN), _INT64_MAX)


def _to_decimal(value) -> int:
    try:
        return int(strval(value), 8)
    except ValueError:
        return 0


# -- JSON ----------------------------------------------------------------------------------------------
def go_json(value, indent: str | None = None, escape_html: bool = True) -> str:
    """encoding/json Marshal: sorted map keys, Go float formatting, HTML-safe escapes."""
    text = _encode(value, indent, 0)
    if escape_html:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _encode(value, indent: str | None, depth: int) -> str:
    if value is None or isinstance(value, (NilList, NilStrList)):
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return json_float(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = [(str(k), value[k]) for k in sorted(value, key=str)]
        parts = [json.dumps(k, ensure_ascii=False) + (": " if indent is not None else ":") +
                 _encode(v, indent, depth + 1) for k, v in items]
        return _wrap("{", "}", parts, indent, depth)
    if isinstance(value, (list, tuple)):
        return _wrap("[", "]", [_encode(v, indent, depth + 1) for v in value], indent, depth)
    if hasattr(value, "go_json"):  # a Go value with its own MarshalJSON (*semver.Version)
        return value.go_json()
    if isinstance(value, bytes):
        import base64

        return json.dumps(base64.b64encode(value).decode())
    raise FuncError(f"json: unsupported type: {type(value).__name__}")


def _wrap(open_: str, close: str, parts: list[str], indent: str | None, depth: int) -> str:
    if not parts:
        return open_ + close
    if indent is None:
        return open_ + ",".join(parts) + close
    pad = "\n" + indent * (depth + 1)
    return open_ + pad + ("," + pad).join(parts) + "\n" + indent * depth + close


def json_float(value: float) -> str:
    if not math.isfinite(value):
        raise FuncError(f"json: unsupported value: {format_float(value)}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = format_float(value, "e", -1)
        return re.sub(r"e([+-])0(\d)$", r"e\1\2", text)
    return format_float(value, "f", -1)


def from_json_value(value):
    """Go's json.Unmarshal into interface{}: every number becomes float64."""
    if isinstance(value, dict):
        return {k: from_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json_value(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return float(value)


def as_json_value(value):
    """Any YAML-loaded data as Go sees it after a round trip through JSON (dates and the like as strings,
    every number float64)."""
    return from_json_value(json.loads(json.dumps(value, default=str)))


@fn("toJson", "any")
def to_json(value):
    try:
        return go_json(value)
    except FuncError:
        return ""


@fn("mustToJson", "any")
def must_to_json(value):
    return go_json(value)


@fn("toPrettyJson", "any")
def to_pretty_json(value):
    try:
        return go_json(value, "  ")
    except FuncError:
        return ""


fn("mustToPrettyJson", "any")(lambda v: go_json(v, "  "))
fn("toRawJson", "any")(lambda v: go_json(v, escape_html=False))
fn("mustToRawJson", "any")(lambda v: go_json(v, escape_html=False))


@fn("fromJson", "str")
def from_json(text):
    try:
        return from_json_value(json.loads(text))
    except ValueError:
        return None


@fn("mustFromJson", "str")
def must_from_json(text):
    try:
        return from_json_value(json.loads(text))
    except ValueError as exc:
        raise FuncError(str(exc)) from None
