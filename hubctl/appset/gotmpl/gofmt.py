"""A subset of Go's fmt: Sprint, Sprintln, Sprintf (%v %s %d %q %x %X %o %b %c %f %e %g %t %T %%, flags,
width, precision) and strconv.Quote."""

from __future__ import annotations

import re

from hubctl.appset.gotmpl.values import format_float, sprint_value, type_name

_SPEC = re.compile(r"%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])")


def sprint(*args) -> str:
    """fmt.Sprint: spaces between operands when neither side is a string."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if i and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            out.append(" ")
        out.append(sprint_value(arg))
    return "".join(out)


def sprintln(*args) -> str:
    return " ".join(sprint_value(a) for a in args) + "\n"


def quote(text: str) -> str:
    """strconv.Quote."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _ESC:
            out.append(_ESC[ch])
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def sprintf(fmt: str, *args) -> str:
    """fmt.Sprintf for the verbs templates use."""
    out: list[str] = []
    index = 0
    pos = 0
    while True:
        pct = fmt.find("%", pos)
        if pct < 0:
            out.append(fmt[pos:])
            break
        out.append(fmt[pos:pct])
        match = _SPEC.match(fmt, pct)
        if not match:
            out.append("%!(NOVERB)")
            break
        flags, width, prec, verb = match.groups()
        pos = match.end()
        if verb == "%":
            out.append("%")
            continue
        if width == "*":
            width, index = (str(args[index]) if index < len(args) else "0"), index + 1
        if prec == "*":
            prec, index = (str(args[index]) if index < len(args) else "0"), index + 1
        if index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[index]
        index += 1
        text = _format(arg, verb, flags, None if prec is None else int(prec or 0))
        out.append(_pad(text, flags, int(width) if width else 0, verb, arg))
    if index < len(args):
        extra = ", ".join(f"{type_name(a)}={sprint_value(a)}" for a in args[index:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _bad(verb: str, arg) -> str:
    if arg is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({type_name(arg)}={sprint_value(arg)})"


def _format(arg, verb: str, flags: str, prec: int | None) -> str:
    if verb == "T":
        return type_name(arg) if arg is not None else "<nil>"
    if verb == "v":
        if isinstance(arg, float) and prec is not None:
            return format_float(arg, "g", prec)
        return sprint_value(arg)
    if isinstance(arg, (list, tuple)) and not isinstance(arg, str) and verb not in "xXq":
        return "[" + " ".join(_format(a, verb, flags, prec) for a in arg) + "]"
    if isinstance(arg, dict):
        inner = " ".join(f"{_format(k, verb, flags, prec)}:{_format(arg[k], verb, flags, prec)}" for k in sorted(arg))
        return f"map[{inner}]"
    if isinstance(arg, bool):
        return ("true" if arg else "false") if verb == "t" else _bad(verb, arg)
    if isinstance(arg, int):
        return _format_int(arg, verb, flags, prec)
    if isinstance(arg, float):
        return _format_float(arg, verb, flags, prec)
    if isinstance(arg, str):
        return _format_str(arg, verb, flags, prec)
    return _bad(verb, arg)


def _format_int(arg: int, verb: str, flags: str, prec: int | None) -> str:
    sign = "-" if arg < 0 else ("+" if "+" in flags else (" " if " " in flags else ""))
    mag = abs(arg)
    if verb == "d":
        body = str(mag)
    elif verb in "xX":
        body = format(mag, "x" if verb == "x" else "X")
        if "#" in flags:
            body = ("0x" if verb == "x" else "0X") + body
    elif verb == "o":
        body = format(mag, "o")
    elif verb == "b":
        body = format(mag, "b")
    elif verb == "c":
        return chr(arg)
    elif verb == "q":
        return "'" + quote(chr(arg))[1:-1].replace("'", "\\'") + "'"
    elif verb == "U":
        return f"U+{arg:04X}"
    elif verb in "eEfFgG":
        return _bad(verb, arg)
    else:
        return _bad(verb, arg)
    if prec is not None:
        body = body.zfill(prec)
    return sign + body


def _format_float(arg: float, verb: str, flags: str, prec: int | None) -> str:
    if verb in "fF":
        body = format_float(arg, "f", 6 if prec is None else prec)
    elif verb in "eE":
        body = format_float(arg, "e", 6 if prec is None else prec)
    elif verb in "gG":
        body = format_float(arg, "g", -1 if prec is None else prec)
    else:
        return _bad(verb, arg)
    if verb.isupper():
        body = body.upper()
    if "+" in flags and not body.startswith("-"):
        body = "+" + body
    return body


def _format_str(arg: str, verb: str, flags: str, prec: int | None) -> str:
    if prec is not None:
        arg = arg[:prec]
    if verb == "s":
        return arg
    if verb == "q":
        return "`" + arg + "`" if "#" in flags and "`" not in arg else quote(arg)
    if verb in "xX":
        data = arg.encode()
        sep = " " if " " in flags else ""
        return sep.join(format(b, "02x" if verb == "x" else "02X") for b in data)
    return _bad(verb, arg)


def _pad(text: str, flags: str, width: int, verb: str, arg) -> str:
    if len(text) >= width:
        return text
    fill = width - len(text)
    if "-" in flags:
        return text + " " * fill
    if "0" in flags and isinstance(arg, (int, float)) and not isinstance(arg, bool) and verb not in "sqcT":
        sign = text[0] if text[:1] in "+- " and text[:1] else ""
        return sign + "0" * fill + text[len(sign):]
    return " " * fill + text
