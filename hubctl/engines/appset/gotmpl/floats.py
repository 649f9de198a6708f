"""strconv.FormatFloat for fmt's float verbs: 'x'/'X' (hex mantissa), 'b' (binary exponent), and the
'#' flag's kept decimal point and trailing zeros (fmt/format.go fmtFloat)."""

from __future__ import annotations

import math
import struct

from hubctl.engines.appset.gotmpl.values import format_float


def append_float(value: float, verb: str, prec: int) -> str:
    """strconv.FormatFloat(value, verb, prec, 64)."""
    if verb in "xX":
        text = _hex_float(value, prec)
        return text.upper() if verb == "X" else text
    if verb == "b":
        return _bin_float(value)
    if math.isnan(value) or math.isinf(value):
        return format_float(value)
    text = format_float(value, verb.lower(), prec)
    return text.upper() if verb in "EG" else text


def _bin_float(value: float) -> str:
    bits = struct.unpack(">Q", struct.pack(">d", value))[0]
    exp, mant = (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
    if exp:
        mant |= 1 << 52
    exp = (exp or 1) - 1075
    return ("-" if bits >> 63 else "") + f"{mant}p{'+' if exp >= 0 else '-'}{abs(exp)}"


def _hex_float(value: float, prec: int) -> str:
    if math.isnan(value) or math.isinf(value):
        return format_float(value)
    sign = "-" if math.copysign(1, value) < 0 else ""
    mant, exp = 0, 0
    if value:
        frac, e = math.frexp(abs(value))
        mant, exp = int(frac * (1 << 53)), e - 1
    if 0 <= prec < 13:
        shift = 4 * (13 - prec)
        q, r = divmod(mant, 1 << shift)
        half = 1 << (shift - 1)
        if r > half or (r == half and q & 1):
            q += 1
        mant = q << shift
        if mant >> 53:
            mant >>= 1
            exp += 1
    hexd = f"{mant & ((1 << 52) - 1):013x}"
    hexd = hexd.rstrip("0") if prec < 0 else (hexd + "0" * prec)[:prec]
    lead = "1" if mant else "0"
    return f"{sign}0x{lead}{'.' + hexd if hexd else ''}p{'+' if exp >= 0 else '-'}{abs(exp):02d}"


def sharp_float(num: str, verb: str, prec: int) -> str:
    digits = (6 if prec == -1 else prec) if verb in "vgGx" else 0
    tail = ""
    cut = next((i for i, c in enumerate(num) if c in "pP" or (c in "eE" and verb not in "xX")), None)
    if cut is not None:
        num, tail = num[:cut], num[cut:]
    seen = False
    for c in num[1:]:
        if c == ".":
            continue
        seen = seen or c != "0"
        digits -= 1 if seen else 0
    if "." not in num:
        if num[1:] == "0":
            digits -= 1
        num += "."
    return num + "0" * max(digits, 0) + tail
