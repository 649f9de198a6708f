"""Sprig's case and word functions: huandu/xstrings v1.5.0 (convert.go, common.go) for snakecase, kebabcase
and camelcase (Sprig v3.3.0 maps camelcase to xstrings.ToPascalCase), Masterminds/goutils for swapcase,
initials, untitle, abbrev, abbrevboth, wrap and wrapWith, Go's strings.Title for title.

Go measures goutils' lengths in bytes, so the ports below do too.
"""

from __future__ import annotations

import unicodedata

from hubctl.engines.appset.gotmpl.funcs import registry

FUNCS, fn = registry()

_LATIN1_SPACE = "\t\n\v\f\r \x85\xa0"


# -- Go's unicode predicates and simple case mappings ---------------------------------------------------
def is_space(r: str) -> bool:
    """unicode.IsSpace."""
    return r in _LATIN1_SPACE if r <= "\xff" else r.isspace()


def _cat(r: str) -> str:
    return unicodedata.category(r)


def is_upper(r: str) -> bool:
    return _cat(r) == "Lu"


def is_lower(r: str) -> bool:
    return _cat(r) == "Ll"


def _to_upper(r: str) -> str:
    u = r.upper()
    return u if len(u) == 1 else r


def go_to_lower(r: str) -> str:
    """unicode.ToLower: one rune to one rune (U+0130's full mapping "i\u0307" starts with its simple one)."""
    return r.lower()[0]


def _is_punct(r: str) -> bool:
    return _cat(r).startswith("P")


def _is_number(r: str) -> bool:
    return _cat(r).startswith("N")


def _is_alphabet(r: str) -> bool:
    """xstrings common.go: a letter that is not a CJK character."""
    if not _cat(r).startswith("L"):
        return False
    o = ord(r)
    return not (0x4E00 <= o <= 0x9FCC or 0x3400 <= o <= 0x4D85 or 0x20000 <= o <= 0x2B81D)


def _is_connector(r: str) -> bool:
    return r in "-_" or is_space(r)


# -- xstrings: word splitting -----------------------------------------------------------------------------
INVALID, NUMBER, UPPER, ALPHA, CONNECTOR, PUNCT, OTHER = range(7)


def _run(s: str, i: int, keep) -> int:
    while i < len(s) and keep(s[i]):
        i += 1
    return i


def _next_word(s: str) -> tuple[int, str, str]:
    """xstrings nextWord: (word type, word, remaining)."""
    if not s:
        return INVALID, "", ""
    r = s[0]
    if _is_connector(r):
        end, kind = _run(s, 1, _is_connector), CONNECTOR
    elif _is_punct(r):
        end, kind = _run(s, 1, _is_punct), PUNCT
    elif is_upper(r):
        kind, end = UPPER, 1
        if end < len(s) and is_upper(s[1]):
            end = _run(s, 1, is_upper)
            # "HTTPStatus" splits into "HTTP" and "Status".
            if end < len(s) and _is_alphabet(s[end]):
                end -= 1
        elif end < len(s) and _is_alphabet(s[1]):
            end = _run(s, 1, lambda c: _is_alphabet(c) and not is_upper(c))
    elif _is_alphabet(r):
        end, kind = _run(s, 1, lambda c: _is_alphabet(c) and not is_upper(c)), ALPHA
    elif _is_number(r):
        end, kind = _run(s, 1, _is_number), NUMBER
    else:
        end = _run(s, 1, lambda c: not (_is_connector(c) or _is_alphabet(c) or _is_number(c) or _is_punct(c)))
        kind = OTHER
    return kind, s[:end], s[end:]


def _lower(out: list[str], kind: int, word: str, connector: str) -> None:
    if kind not in (UPPER, CONNECTOR):
        out.append(word)
        return
    for r in word:
        out.append(connector if _is_connector(r) else go_to_lower(r) if is_upper(r) else r)


def camelgo_to_lower(s: str, connector: str) -> str:
    """xstrings camelCaseToLowerCase (ToSnakeCase, ToKebabCase)."""
    if not s:
        return ""
    out: list[str] = []
    kind, word, rest = _next_word(s)
    while rest:
        if kind != CONNECTOR:
            _lower(out, kind, word, connector)
        prev, last = kind, word
        kind, word, rest = _next_word(rest)
        if prev == NUMBER:
            while kind in (ALPHA, NUMBER):
                _lower(out, kind, word, connector)
                kind, word, rest = _next_word(rest)
            if kind not in (INVALID, PUNCT, CONNECTOR):
                out.append(connector)
        elif prev == CONNECTOR:
            _lower(out, prev, last, connector)
        elif prev == PUNCT:
            pass
        elif kind != NUMBER:
            if kind not in (CONNECTOR, PUNCT):
                out.append(connector)
        elif rest:
            last = word
            kind, word, rest = _next_word(rest)
            if kind != ALPHA:  # "Bld4Floor" => "bld4_floor"
                _lower(out, NUMBER, last, connector)
                if kind not in (CONNECTOR, PUNCT):
                    out.append(connector)
                continue
            out.append(connector)  # "HTTP2xx" => "http_2xx"
            _lower(out, NUMBER, last, connector)
            while kind in (ALPHA, NUMBER):
                _lower(out, kind, word, connector)
                kind, word, rest = _next_word(rest)
            if kind not in (INVALID, CONNECTOR, PUNCT):
                out.append(connector)
    _lower(out, kind, word, connector)
    return "".join(out)


def to_camel(s: str, big: bool) -> str:
    """xstrings toCamelCase (ToCamelCase, ToPascalCase)."""
    out: list[str] = []
    i, first_upper, r0 = 0, False, ""
    while i < len(s):
        r0 = s[i]
        i += 1
        if not _is_connector(r0):
            first_upper = is_upper(r0)
            r0 = _to_upper(r0) if big else go_to_lower(r0)
            break
        out.append(r0)
    else:  # only connectors: Go writes the last one twice
        return "".join(out) + r0
    for r in s[i:]:
        r1, r0 = r0, r
        if _is_connector(r0) and _is_connector(r1):
            out.append(r1)
            continue
        if _is_connector(r1):
            first_upper = is_upper(r0)
            r0 = _to_upper(r0)
        else:
            if first_upper:
                if is_upper(r0):
                    r0 = go_to_lower(r0)
                else:
                    first_upper = False
            out.append(r1)
    if first_upper and not big:
        r0 = go_to_lower(r0)
    out.append(r0)
    return "".join(out)


fn("snakecase", "str")(lambda s: camelgo_to_lower(s, "_"))
fn("kebabcase", "str")(lambda s: camelgo_to_lower(s, "-"))
fn("camelcase", "str")(lambda s: to_camel(s, True))


# -- goutils ----------------------------------------------------------------------------------------------
@fn("swapcase", "str")
def swapcase(s):
    """goutils.SwapCase: upper and title case to lower, lower to upper."""
    out = []
    for r in s:
        if is_upper(r) or _cat(r) == "Lt":
            r = go_to_lower(r)
        elif is_lower(r):
            r = _to_upper(r)
        out.append(r)
    return "".join(out)


@fn("untitle", "str")
def untitle(s):
    """goutils.Uncapitalize: the first rune of each whitespace-separated word to lower case."""
    out, at_start = [], True
    for r in s:
        if is_space(r):
            at_start = True
            out.append(r)
        elif at_start:
            out.append(go_to_lower(r))
            at_start = False
        else:
            out.append(r)
    return "".join(out)


@fn("initials", "str")
def initials(s):
    """goutils.Initials: walks bytes, so a multi-byte first rune contributes its first byte as a rune."""
    out, gap = [], True
    for b in s.encode():
        if is_space(chr(b)):
            gap = True
        elif gap:
            out.append(chr(b))
            gap = False
    return "".join(out)


def _cut(data: bytes, start: int = 0, end: int | None = None) -> str:
    return data[start:end].decode(errors="replace")


def abbreviate(data: bytes, offset: int, width: int) -> str:
    """goutils.AbbreviateFull (its error results discarded by Sprig, leaving "")."""
    if not data:
        return ""
    if width < 4:
        return ""
    if len(data) <= width:
        return _cut(data)
    offset = min(offset, len(data))
    if len(data) - offset < width - 3:
        offset = len(data) - (width - 3)
    if offset <= 4:
        return _cut(data, 0, width - 3) + "..."
    if width < 7:
        return ""
    if offset + width - 3 < len(data):
        return "..." + abbreviate(data[offset:], 0, width - 3)
    return "..." + _cut(data, len(data) - (width - 3))


@fn("abbrev", "int", "str")
def abbrev(width, s):
    return s if width < 4 else abbreviate(s.encode(), 0, width)


@fn("abbrevboth", "int", "int", "str")
def abbrevboth(left, right, s):
    if right < 4 or (left > 0 and right < 7):
        return s
    return abbreviate(s.encode(), left, right)


def wrap_custom(text: str, width: int, newline: str, long_words: bool) -> str:
    """goutils.WrapCustom: one line of text, words split at ' ' only, lengths in bytes."""
    data = text.encode()
    if not data:
        return ""
    nl = (newline or "\n").encode()
    width = max(width, 1)
    out, offset = bytearray(), 0
    while len(data) - offset > width:
        if data[offset] == 0x20:
            offset += 1
            continue
        space = data.rfind(b" ", offset, width + offset + 1)
        if space >= offset:
            out += data[offset:space] + nl
            offset = space + 1
        elif long_words:
            out += data[offset:offset + width] + nl
            offset += width
        else:
            space = data.find(b" ", width + offset)
            if space < 0:
                out += data[offset:]
                offset = len(data)
            else:
                out += data[offset:space] + nl
                offset = space + 1
    out += data[offset:]
    return out.decode(errors="replace")


fn("wrap", "int", "str")(lambda width, s: wrap_custom(s, width, "", False))
fn("wrapWith", "int", "str", "str")(lambda width, sep, s: wrap_custom(s, width, sep, True))
