"""Sprig v3 math, regex (Go RE2 syntax), encoding, hashing, path, URL and semver functions."""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import posixpath
import re
import zlib
from urllib.parse import urlsplit

from hubctl.engines.appset.gotmpl.funcs import FuncError, registry
from hubctl.engines.appset.gotmpl.values import Int64, StrList
from hubctl.engines.appset.sprig.convert import NilStrList, strval, to_float, to_int
from hubctl.engines.appset.sprig.re2 import RegexError, find_all, go_regex, must_compile, replace_all

FUNCS, fn = registry()


# -- math ----------------------------------------------------------------------------------------------
def _int_div(a: int, b: int) -> int:
    if b == 0:
        raise FuncError("runtime error: integer divide by zero")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


fn("add1", "any")(lambda a: Int64(to_int(a) + 1))
fn("add", variadic="any")(lambda *v: Int64(sum(to_int(x) for x in v)))
fn("sub", "any", "any")(lambda a, b: Int64(to_int(a) - to_int(b)))
fn("mul", "any", variadic="any")(lambda a, *v: Int64(math.prod([to_int(a)] + [to_int(x) for x in v])))
fn("div", "any", "any")(lambda a, b: Int64(_int_div(to_int(a), to_int(b))))
fn("mod", "any", "any")(lambda a, b: Int64(to_int(a) - _int_div(to_int(a), to_int(b)) * to_int(b)))
fn("max", "any", variadic="any")(lambda a, *v: Int64(max([to_int(a)] + [to_int(x) for x in v])))
fn("biggest", "any", variadic="any")(lambda a, *v: Int64(max([to_int(a)] + [to_int(x) for x in v])))
fn("min", "any", variadic="any")(lambda a, *v: Int64(min([to_int(a)] + [to_int(x) for x in v])))
fn("maxf", "any", variadic="any")(lambda a, *v: max([to_float(a)] + [to_float(x) for x in v]))
fn("minf", "any", variadic="any")(lambda a, *v: min([to_float(a)] + [to_float(x) for x in v]))
fn("floor", "any")(lambda a: float(math.floor(to_float(a))))
fn("ceil", "any")(lambda a: float(math.ceil(to_float(a))))
fn("add1f", "any")(lambda a: to_float(a) + 1)
fn("addf", variadic="any")(lambda *v: float(sum(to_float(x) for x in v)))
fn("subf", "any", variadic="any")(lambda a, *v: to_float(a) - sum(to_float(x) for x in v))
fn("mulf", "any", variadic="any")(lambda a, *v: math.prod([to_float(a)] + [to_float(x) for x in v]))


@fn("divf", "any", variadic="any")
def divf(a, *v):
    result = to_float(a)
    for x in v:
        d = to_float(x)
        if d == 0:
            raise FuncError("division by zero")
        result /= d
    return result


@fn("round", "any", "int", variadic="float")
def round_(a, places, *opts):
    half = opts[0] if opts else 0.5
    value = to_float(a)
    scale = 10 ** places
    digit = value * scale
    frac = digit - math.floor(digit) if digit >= 0 else math.ceil(digit) - digit
    base = math.floor(digit) if digit >= 0 else math.ceil(digit)
    if frac >= half:
        base += 1 if digit >= 0 else -1
    return base / scale


# -- regex (Sprig regex.go over Go's regexp; see re2.py) ---------------------------------------------
def _expand(template: str, match: re.Match) -> str:
    """Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$ (unknown groups expand to "")."""
    def repl(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(2)
        try:
            return match.group(int(name) if name.isdigit() else name) or ""
        except (IndexError, re.error):
            return ""
    return re.sub(r"\$\$|\$\{(\w+)\}|\$(\w+)", repl, template)


def _split(rx: re.Pattern, pattern: str, s: str, n: int):
    """Go's Regexp.Split (nil for n == 0)."""
    if n == 0:
        return NilStrList()
    if pattern and not s:
        return StrList([""])
    parts: list[str] = []
    beg = end = 0
    for match in find_all(rx, s, n):
        if n > 0 and len(parts) == n - 1:
            break
        end = match.start()
        if match.end() != 0:
            parts.append(s[beg:end])
        beg = match.end()
    if end != len(s):
        parts.append(s[beg:])
    return StrList(parts)


def _find_all(rx: re.Pattern, s: str, n: int):
    found = [m.group(0) for m in find_all(rx, s, n)]
    return StrList(found) if found else NilStrList()  # FindAllString returns nil for no match


def _regex_funcs(compile_):
    """Sprig's regex functions over `compile_` (MustCompile for the plain names, Compile for must*)."""
    def find(regex, s):
        match = compile_(regex).search(s)
        return match.group(0) if match else ""
    return {
        "regexFind": (find, ("str", "str")),
        "regexFindAll": (lambda regex, s, n: _find_all(compile_(regex), s, n), ("str", "str", "int")),
        "regexReplaceAll": (lambda regex, s, repl: replace_all(compile_(regex), s, lambda m: _expand(repl, m)),
                            ("str", "str", "str")),
        "regexReplaceAllLiteral": (lambda regex, s, repl: replace_all(compile_(regex), s, lambda m: repl),
                                   ("str", "str", "str")),
        "regexSplit": (lambda regex, s, n: _split(compile_(regex), regex, s, n), ("str", "str", "int")),
    }


for _name, (_func, _params) in _regex_funcs(must_compile).items():
    fn(_name, *_params)(_func)
for _name, (_func, _params) in _regex_funcs(go_regex).items():
    fn("must" + _name[0].upper() + _name[1:], *_params)(_func)


@fn("regexMatch", "str", "str")
def regex_match(regex, s):
    """Sprig discards regexp.MatchString's error: an invalid pattern does not match."""
    try:
        return go_regex(regex).search(s) is not None
    except RegexError:
        return False


fn("mustRegexMatch", "str", "str")(lambda regex, s: go_regex(regex).search(s) is not None)
fn("regexQuoteMeta", "str")(lambda s: re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", s))


# -- encoding and hashing ------------------------------------------------------------------------------
fn("b64enc", "str")(lambda s: base64.b64encode(s.encode()).decode())
fn("b32enc", "str")(lambda s: base64.b32encode(s.encode()).decode())
fn("sha1sum", "str")(lambda s: hashlib.sha1(s.encode()).hexdigest())
fn("sha256sum", "str")(lambda s: hashlib.sha256(s.encode()).hexdigest())
fn("sha512sum", "str")(lambda s: hashlib.sha512(s.encode()).hexdigest())
fn("adler32sum", "str")(lambda s: str(zlib.adler32(s.encode())))


@fn("b64dec", "str")
def b64dec(s):
    try:
        return base64.b64decode(s.encode(), validate=True).decode(errors="replace")
    except (binascii.Error, ValueError) as exc:
        return f"illegal base64 data at input byte {_bad_byte(s)}" if exc else ""


def _bad_byte(s: str) -> int:
    for i, ch in enumerate(s):
        if not (ch.isalnum() or ch in "+/="):
            return i
    return max(len(s) - len(s) % 4, 0)


@fn("b32dec", "str")
def b32dec(s):
    try:
        return base64.b32decode(s.encode()).decode(errors="replace")
    except (binascii.Error, ValueError):
        return "illegal base32 data at input byte 0"


# -- paths and URLs ------------------------------------------------------------------------------------
def _clean(p: str) -> str:
    """path.Clean: posixpath.normpath keeps a leading "//", Go does not."""
    if not p:
        return "."
    cleaned = posixpath.normpath(p)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def _ext(p: str) -> str:
    """filepath.Ext: from the last dot of the last element, a leading dot included ("dir/.hidden")."""
    name = p.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


fn("base", "str")(lambda p: posixpath.basename(p.rstrip("/")) or ("/" if p.startswith("/") else "."))
fn("dir", "str")(lambda p: _clean(p.rpartition("/")[0] + "/" if "/" in p else ""))
fn("clean", "str")(_clean)
fn("ext", "str")(_ext)
fn("isAbs", "str")(lambda p: p.startswith("/"))
for _os_name, _name in (("osBase", "base"), ("osDir", "dir"), ("osClean", "clean"), ("osExt", "ext"),
                        ("osIsAbs", "isAbs")):
    FUNCS[_os_name] = FUNCS[_name].__class__(_os_name, FUNCS[_name].fn, FUNCS[_name].params)


@fn("urlParse", "str")
def url_parse(s):
    parts = urlsplit(s)
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return {"scheme": parts.scheme, "host": parts.netloc.rpartition("@")[2], "hostname": parts.hostname or "",
            "path": parts.path, "query": parts.query, "opaque": "", "fragment": parts.fragment,
            "userinfo": userinfo}


@fn("urlJoin", "map")
def url_join(d):
    d = d or {}
    out = ""
    if d.get("scheme"):
        out += strval(d["scheme"]) + ":"
    if d.get("host") or d.get("userinfo"):
        out += "//" + (strval(d["userinfo"]) + "@" if d.get("userinfo") else "") + strval(d.get("host", ""))
    out += strval(d.get("path", ""))
    if d.get("query"):
        out += "?" + strval(d["query"])
    if d.get("fragment"):
        out += "#" + strval(d["fragment"])
    return out


# -- things that cannot be offline and deterministic ---------------------------------------------------
def _unsupported(name: str):
    def run(*_args):
        raise FuncError(f"{name} is not supported by the offline preview (see docs/appset-preview.md)")
    return run


for _name in ("now", "date", "dateInZone", "date_in_zone", "dateModify", "date_modify", "mustDateModify",
              "must_date_modify", "htmlDate", "htmlDateInZone", "ago", "durationRound", "toDate",
              "mustToDate", "unixEpoch", "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randInt",
              "randBytes", "uuidv4", "genPrivateKey", "derivePassword", "buildCustomCert", "genCA",
              "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert",
              "genSignedCertWithKey", "encryptAES", "decryptAES", "bcrypt", "htpasswd", "getHostByName"):
    fn(_name, variadic="any")(_unsupported(_name))
del FUNCS["getHostByName"]
