"""Sprig's `duration`: seconds as Go's time.Duration prints them.

Sprig v3.3.0 date.go: `duration(sec)` takes an int64 or a decimal string (strconv.ParseInt; any other type,
Go's plain `int` of a template literal included, counts as 0), multiplies by time.Second in int64 (wrapping
as Go does) and returns Duration.String() (time/time.go `format`).
"""

from __future__ import annotations

from hubctl.engines.appset.gotmpl.funcs import registry
from hubctl.engines.appset.gotmpl.values import Int64
from hubctl.engines.appset.sprig.convert import atoi

FUNCS, fn = registry()
_NS_PER_SECOND = 1_000_000_000
_INT64 = 1 << 64


def _wrap_int64(value: int) -> int:
    return (value + (1 << 63)) % _INT64 - (1 << 63)


def _fraction(value: int, precision: int) -> tuple[str, int]:
    """time.fmtFrac: the low `precision` digits as a fraction without trailing zeros, and what is left."""
    digits, printing = [], False
    for _ in range(precision):
        digit = value % 10
        printing = printing or digit != 0
        if printing:
            digits.append(str(digit))
        value //= 10
    return ("." + "".join(reversed(digits)) if printing else ""), value


def duration_string(nanoseconds: int) -> str:
    """time.Duration(nanoseconds).String(): `1h2m3.5s`, `1.5ms`, `0s`."""
    negative = nanoseconds < 0
    u = (-nanoseconds) % _INT64 if negative else nanoseconds
    if u < _NS_PER_SECOND:
        if u == 0:
            return "0s"
        precision, unit = (0, "ns") if u < 1_000 else (3, "µs") if u < 1_000_000 else (6, "ms")
        frac, whole = _fraction(u, precision)
        text = f"{whole}{frac}{unit}"
    else:
        frac, seconds = _fraction(u, 9)
        text = f"{seconds % 60}{frac}s"
        minutes = seconds // 60
        if minutes:
            text = f"{minutes % 60}m{text}"
            if minutes // 60:
                text = f"{minutes // 60}h{text}"
    return "-" + text if negative else text


@fn("duration", "any")
def duration(value) -> str:
    if isinstance(value, Int64):
        seconds = int(value)
    elif isinstance(value, str):
        seconds = atoi(value)  # strconv.ParseInt(value, 10, 64), error dropped
    else:
        seconds = 0
    return duration_string(_wrap_int64(seconds * _NS_PER_SECOND))
