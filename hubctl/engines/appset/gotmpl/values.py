"""How Go sees template data: type names, truth and float formatting (fmt's %v printing: sprint.py).

Python values stand in for Go values: dict is map[string]interface{}, list is []interface{}, str, bool,
int (Go int), Int64 (Go int64, what Sprig's math returns), float (float64), None (a nil interface held in
a container). StrMap / StrList mark map[string]string and []string (cluster labels, path segments), whose
zero element is "" rather than nil. MISSING is Go's invalid reflect.Value: a map key that is not there.

Type mapping for functions (Sprig and Argo CD) returning values to the engine:
    Python None      a nil interface{} (a function declared to return interface{}): an action prints
                     `<no value>`, a later pipeline stage receives an invalid Value.
    NilList()        a nil []interface{}: prints `[]` (not `<no value>`), `%#v` gives `[]interface {}(nil)`.
    [] / {}          an empty non-nil []interface{} / map[string]interface{}: `[]` / `map[]`.
    StrList / StrMap []string / map[string]string (elements never nil).
    Uint8            uint8 (`index` of a string).
    Int64 / int      int64 / int; both print in decimal but are distinct Go types (%T, eq is fine, lt too).
    float            float64: %v is strconv "g", shortest digits, exponent form when exp < -4 or exp >= 6.
"""

from __future__ import annotations

import math
from decimal import Decimal


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


class Int64(int):
    """A Go int64 (Sprig's math results); prints like int but is a different Go type."""

    __slots__ = ()


class Uint8(int):
    """A Go uint8 (a byte: `index` of a string)."""

    __slots__ = ()


class StrMap(dict):
    """A Go map[string]string."""

    __slots__ = ()


class StrList(list):
    """A Go []string."""

    __slots__ = ()


def type_name(value) -> str:
    """The Go type name of `value`, as Go's error messages print it."""
    if value is MISSING:
        return "<invalid>"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Int64):
        return "int64"
    if isinstance(value, Uint8):
        return "uint8"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, StrMap):
        return "map[string]string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, StrList):
        return "[]string"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    if isinstance(value, bytes):
        return "[]uint8"
    return getattr(value, "GO_TYPE", type(value).__name__)


def truth(value) -> bool:
    """Go template truth: false, 0, nil, empty string/slice/map, missing are false."""
    if value is MISSING or value is None:
        return False
    if isinstance(value, (bool, int, float, str, list, dict, tuple, bytes)):
        return bool(value)
    return True


def format_float(value: float, fmt: str = "g", prec: int = -1) -> str:
    """strconv.FormatFloat(value, fmt, prec, 64) for fmt in g, e, f."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if fmt == "f":
        return _fixed(value, prec)
    if fmt == "e":
        return _exp(value, prec)
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digits, point = _shortest(value) if prec < 0 else _rounded(value, max(prec, 1))
    exp = point - 1
    eprec = 6 if prec < 0 else max(prec, 1)
    if prec >= 0 and eprec > len(digits) and len(digits) >= point:
        eprec = len(digits)
    if exp < -4 or exp >= eprec:
        return sign + _e_form(digits, exp)
    return sign + _f_form(digits, point)


def _shortest(value: float) -> tuple[str, str, int]:
    """Sign, shortest round-trip digits (no trailing zeros) and decimal point position."""
    tup = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, tup.digits)).lstrip("0")
    point = len(digits) + tup.exponent
    return ("-" if value < 0 else ""), (digits.rstrip("0") or "0"), point


def _rounded(value: float, sig: int) -> tuple[str, str, int]:
    text = f"{abs(value):.{sig - 1}e}"
    mant, exp = text.split("e")
    digits = mant.replace(".", "").rstrip("0") or "0"
    return ("-" if value < 0 else ""), digits, int(exp) + 1


def _e_form(digits: str, exp: int) -> str:
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _f_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * (-point) + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _fixed(value: float, prec: int) -> str:
    if prec < 0:
        sign, digits, point = _shortest(value) if value else ("", "0", 1)
        return sign + _f_form(digits, point)
    return f"{value:.{prec}f}"


def _exp(value: float, prec: int) -> str:
    if prec < 0:
        sign, digits, point = _shortest(value) if value else ("", "0", 1)
        return sign + _e_form(digits, point - 1)
    text = f"{value:.{prec}e}"
    mant, exp = text.split("e")
    return f"{mant}e{exp[0]}{int(exp[1:]):02d}"


class NilList(list):
    """A nil Go []interface{} (Sprig's `rest (list)`, `regexFindAll` without a match): prints `[]` like an
    empty slice, but `%#v` shows `[]interface {}(nil)` (and encoding/json writes null)."""

    __slots__ = ()
