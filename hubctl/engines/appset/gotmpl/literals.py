"""Go literal syntax inside actions: numbers (strconv base 0 rules) and quoted strings (strconv.Unquote)."""

from __future__ import annotations

import math
import re

from hubctl.engines.appset.gotmpl.nodes import Number

_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_INT = re.compile(r"^[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[+-]?(\d[\d_]*\.?[\d_]*([eE][+-]?\d+)?|\.\d[\d_]*([eE][+-]?\d+)?|"
                    r"0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*[pP][+-]?\d+)$")


def _go_int(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").replace("_", "").lower()
    if body.startswith(("0x", "0o", "0b")):
        return sign * int(body[2:], {"x": 16, "o": 8, "b": 2}[body[1]])
    if len(body) > 1 and body.startswith("0"):
        return sign * int(body, 8)
    return sign * int(body)


def parse_number(text: str, is_char: bool = False, pos: int = 0) -> Number:
    """A NumberNode as Go's parse.newNumber builds it.

    Raises:
        ValueError: "illegal number syntax" or "integer overflow", as Go reports them.
    """
    if is_char:
        value = ord(unquote(text, quote="'"))
        return Number(text, True, True, value, float(value), True, pos)
    if text.endswith("i"):
        raise ValueError(f'complex numbers are not supported: "{text}"')
    if _INT.match(text):
        value = _go_int(text)
        if -(1 << 63) <= value < (1 << 63):
            return Number(text, True, True, value, float(value), False, pos)
        if 0 <= value < (1 << 64):
            return Number(text, False, True, 0, float(value), False, pos, is_uint=True)
    if _FLOAT.match(text):
        try:
            value = float.fromhex(text.replace("_", "")) if "x" in text.lower() else float(text.replace("_", ""))
        except (ValueError, OverflowError):
            raise ValueError(f'illegal number syntax: "{text}"') from None
        if math.isinf(value):  # strconv.ParseFloat's ErrRange
            raise ValueError(f'illegal number syntax: "{text}"')
        if not any(c in text for c in ".eEpP"):
            raise ValueError(f'integer overflow: "{text}"')
        is_int = value == int(value) if value == value and abs(value) < 2**63 else False
        return Number(text, is_int, True, int(value) if is_int else 0, value, False, pos)
    raise ValueError(f'illegal number syntax: "{text}"')


def unquote(token: str, quote: str | None = None) -> str:
    """strconv.Unquote for "..." strings, `...` raw strings and '.' characters.

    Raises:
        ValueError: "invalid syntax" for a malformed literal.
    """
    if token.startswith("`"):
        return token[1:-1].replace("\r", "")
    quote = quote or token[0]
    body = token[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        i, text = _escape(body, i + 1, quote)
        out.append(text)
    result = "".join(out)
    if quote == "'" and len(result) != 1:
        raise ValueError("invalid syntax")
    return result


def _escape(body: str, i: int, quote: str) -> tuple[int, str]:
    if i >= len(body):
        raise ValueError("invalid syntax")
    ch = body[i]
    if ch in _SIMPLE_ESCAPES:
        return i + 1, _SIMPLE_ESCAPES[ch]
    if ch == quote:
        return i + 1, ch
    width = {"x": 2, "u": 4, "U": 8}.get(ch)
    if width:
        digits = body[i + 1:i + 1 + width]
        if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise ValueError("invalid syntax")
        value = int(digits, 16)
        if ch == "x":
            return i + 1 + width, chr(value)  # a byte; exact only for ASCII
        return i + 1 + width, chr(value)
    if ch in "01234567":
        digits = body[i:i + 3]
        if len(digits) != 3 or not all(c in "01234567" for c in digits):
            raise ValueError("invalid syntax")
        return i + 3, chr(int(digits, 8))
    raise ValueError("invalid syntax")
