"""go-yaml v2 resolve.go: what a plain scalar means (YAML 1.1 booleans, base-0 integers, floats, timestamps),
and keyList.Less, the order in which its encoder writes map keys."""

from __future__ import annotations

import functools
import math
import re
from datetime import datetime

_INT64 = (-(2**63), 2**63 - 1)
_BOOLS = {**dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
          **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False)}
_FLOATS = {".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
           **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
           **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf)}
_NULLS = ("", "~", "null", "Null", "NULL")
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_GO_INT = re.compile(r"[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*"
                     r"|[1-9](?:_?[0-9])*)")
# allowedTimestampFormats: "2006-1-2T15:4:5.999999999Z07:00" (T or t), "2006-1-2 15:4:5.999999999", "2006-1-2"
_TIMESTAMP = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"
                        r"(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"
                        r"| (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?)?")

STR, NULL, BOOL, INT, FLOAT, TIMESTAMP, MERGE = "str", "null", "bool", "int", "float", "timestamp", "merge"


def parse_go_int(text: str, unsigned: bool = False) -> int | None:
    """strconv.ParseInt / ParseUint (text, 0, 64), or None when it fails."""
    if not _GO_INT.fullmatch(text) or (unsigned and text[0] in "+-"):
        return None
    sign = -1 if text[0] == "-" else 1
    body = text.lstrip("+-").replace("_", "").lower()
    if body[:2] in ("0x", "0o", "0b"):
        value = int(body[2:], {"x": 16, "o": 8, "b": 2}[body[1]])
    else:
        value = int(body, 8) if len(body) > 1 and body[0] == "0" else int(body)
    value *= sign
    low, high = (0, 2**64 - 1) if unsigned else _INT64
    return value if low <= value <= high else None


def _timestamp(text: str) -> bool:
    m = _TIMESTAMP.fullmatch(text)
    if m is None:
        return False
    try:
        datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    clock = [int(g) for g in (m.group(4, 5, 6) if m.group(4) else m.group(7, 8, 9)) if g is not None]
    return not clock or (clock[0] < 24 and clock[1] < 60 and clock[2] < 60)


def resolve(text: str) -> tuple[str, object]:
    """The tag and value go-yaml v2 gives a plain (unquoted, untagged) scalar."""
    hint = text[:1]
    if not hint or hint in "+-.0123456789yYnNtTfFoO~<":
        if text in _NULLS:
            return NULL, None
        if text in _BOOLS:
            return BOOL, _BOOLS[text]
        if text in _FLOATS:
            return FLOAT, _FLOATS[text]
        if text == "<<":
            return MERGE, text
    if hint == ".":
        return (FLOAT, float(text)) if _YAML_STYLE_FLOAT.fullmatch(text) else (STR, text)
    if hint and hint in "+-0123456789":
        if hint.isdigit() and _timestamp(text):
            return TIMESTAMP, text
        plain = text.replace("_", "")
        for unsigned in (False, True):
            value = parse_go_int(plain, unsigned)
            if value is not None:
                return INT, value
        if _YAML_STYLE_FLOAT.fullmatch(plain):
            value = float(plain)
            if not math.isinf(value):
                return FLOAT, value
        for prefix, sign in (("0b", 1), ("-0b", -1)):
            if plain.startswith(prefix) and re.fullmatch(r"[01]+", plain[len(prefix):]):
                return INT, sign * int(plain[len(prefix):], 2)
    return STR, text


def plain_is_string(text: str) -> bool:
    """The encoder's canUsePlain: the text reads back as the same string and is no base-60 float."""
    return resolve(text)[0] == STR and not _BASE60_FLOAT.fullmatch(text)


def _is_letter(c: str) -> bool:
    return c.isalpha()


def _key_less(a: str, b: str) -> bool:
    """keyList.Less for two string keys: letters by code point, digit runs by numeric value."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = _is_letter(a[i]), _is_letter(b[i])
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an, ai = an * 10 + int(a[ai]), ai + 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn, bi = bn * 10 + int(b[bi]), bi + 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


sort_key = functools.cmp_to_key(lambda a, b: -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0))
