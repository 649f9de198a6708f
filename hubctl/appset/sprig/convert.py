"""Sprig's conversion helpers and functions (strval, strslice, spf13/cast rules, JSON as Go encodes it)."""

from __future__ import annotations

import json
import math
import re

from hubctl.appset.gotmpl.funcs import FuncError, registry
from hubctl.appset.gotmpl.values import Int64, StrList, format_float, sprint_value

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


_TRIM_ZERO = re.compile(r"^([+-]?\d+)\.0*$")


def _parse_go_int(text: str) -> int:
    text = _TRIM_ZERO.sub(r"\1", text.strip())
    body = text.lstrip("+-").lower()
    sign = -1 if text.startswith("-") else 1
    if body.startswith(("0x", "0o", "0b")):
        return sign * int(body[2:].replace("_", ""), {"x": 16, "o": 8, "b": 2}[body[1]])
    if len(body) > 1 and body.startswith("0"):
        return sign * int(body, 8)
    if not body.isdigit():
        raise ValueError(text)
    return sign * int(body)


def to_int(value) -> int:
    """cast.ToInt64 ignoring errors (0 on failure)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0
    if isinstance(value, str):
        try:
            return _parse_go_int(value)
        except ValueError:
            return 0
    return 0


def to_float(value) -> float:
    """cast.ToFloat64 ignoring errors."""
    if isinstance(value, (bool, int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return 0.0
    return 0.0


fn("atoi", "str")(lambda s: _atoi(s))
fn("int", "any")(lambda v: to_int(v))
fn("int64", "any")(lambda v: Int64(to_int(v)))
fn("float64", "any")(lambda v: to_float(v))
fn("toStrings", "any")(lambda v: StrList(strslice(v)))
fn("toDecimal", "any")(lambda v: Int64(_to_decimal(v)))


def _atoi(text: str) -> int:
    try:
        return int(text, 10) if text.strip() == text and text else 0
    except ValueError:
        return 0


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
