"""Sprig v3 string functions (strings.go); the case and word helpers live in words.py."""

from __future__ import annotations

from hubctl.engines.appset.gotmpl.funcs import FuncError, registry
from hubctl.engines.appset.gotmpl.gofmt import quote as go_quote
from hubctl.engines.appset.gotmpl.values import StrList, StrMap
from hubctl.engines.appset.sprig.convert import strslice, strval

FUNCS, fn = registry()


def _bytes_slice(s: str, start: int, end: int | None = None) -> str:
    data = s.encode()
    if start < 0 or start > len(data) or (end is not None and (end < start or end > len(data))):
        raise FuncError(f"runtime error: slice bounds out of range [{start}:{end if end is not None else ''}]")
    return data[start:end].decode(errors="replace")


fn("upper", "str")(str.upper)
fn("lower", "str")(str.lower)
fn("trim", "str")(lambda s: s.strip(" \t\n\r\v\f\x85\xa0"))
fn("trimAll", "str", "str")(lambda cutset, s: s.strip(cutset))
fn("trimall", "str", "str")(lambda cutset, s: s.strip(cutset))
fn("trimSuffix", "str", "str")(lambda suffix, s: s[: -len(suffix)] if suffix and s.endswith(suffix) else s)
fn("trimPrefix", "str", "str")(lambda prefix, s: s[len(prefix):] if s.startswith(prefix) else s)
fn("contains", "str", "str")(lambda sub, s: sub in s)
fn("hasPrefix", "str", "str")(lambda prefix, s: s.startswith(prefix))
fn("hasSuffix", "str", "str")(lambda suffix, s: s.endswith(suffix))
fn("repeat", "int", "str")(lambda count, s: s * count if count >= 0 else _neg_repeat())
fn("replace", "str", "str", "str")(lambda old, new, s: _go_replace(s, old, new))
fn("nospace", "str")(lambda s: "".join(c for c in s if not c.isspace()))
fn("indent", "int", "str")(lambda n, s: _indent(n, s))
fn("nindent", "int", "str")(lambda n, s: "\n" + _indent(n, s))
fn("plural", "str", "str", "int")(lambda one, many, count: one if count == 1 else many)
fn("splitList", "str", "str")(lambda sep, s: StrList(_go_split(s, sep)))
fn("toString", "any")(strval)


def _indent(n: int, s: str) -> str:
    """Sprig indent: strings.Repeat(" ", n) panics on a negative count."""
    pad = " " * n if n >= 0 else _neg_repeat()
    return pad + s.replace("\n", "\n" + pad)


def _neg_repeat():
    raise FuncError("strings: negative Repeat count")


def _go_replace(s: str, old: str, new: str) -> str:
    if old == "":  # Go inserts `new` around every rune
        return new + new.join(s) + new if s else new
    return s.replace(old, new)


def _go_split(s: str, sep: str) -> list[str]:
    return list(s) if sep == "" else s.split(sep)


@fn("split", "str", "str")
def split(sep, s):
    return StrMap({f"_{i}": part for i, part in enumerate(_go_split(s, sep))})


@fn("splitn", "str", "int", "str")
def splitn(sep, n, s):
    if n == 0:
        return StrMap()
    parts = _go_split(s, sep) if n < 0 else (s.split(sep, n - 1) if sep else list(s[: n - 1]) + [s[n - 1:]])
    return StrMap({f"_{i}": part for i, part in enumerate(parts)})


@fn("join", "str", "any")
def join(sep, values):
    return sep.join(strslice(values))


@fn("substr", "int", "int", "str")
def substr(start, end, s):
    if start < 0:
        return _bytes_slice(s, 0, end)
    if end < 0 or end > len(s.encode()):
        return _bytes_slice(s, start)
    return _bytes_slice(s, start, end)


@fn("trunc", "int", "str")
def trunc(c, s):
    size = len(s.encode())
    if c < 0 and size + c > 0:
        return _bytes_slice(s, size + c)
    if c >= 0 and size > c:
        return _bytes_slice(s, 0, c)
    return s


def _is_separator(ch: str) -> bool:
    if ch.isascii():
        return not (ch.isalnum() or ch == "_")
    return not (ch.isalpha() or ch.isdigit()) and ch.isspace()


@fn("title", "str")
def title(s):
    out, prev = [], " "
    for ch in s:
        out.append(ch.upper() if _is_separator(prev) else ch)
        prev = ch
    return "".join(out)


@fn("cat", variadic="any")
def cat(*values):
    return " ".join(strval(v) for v in values if v is not None)


@fn("quote", variadic="any")
def quote(*values):
    return " ".join(go_quote(strval(v)) for v in values if v is not None)


@fn("squote", variadic="any")
def squote(*values):
    return " ".join(f"'{strval(v)}'" for v in values if v is not None)


@fn("shuffle", "str")
def shuffle(s):
    raise FuncError("shuffle is random and not supported by the offline preview")
