"""A YAML emitter shaped like go-yaml v2 (what sigs.k8s.io/yaml uses for Argo CD's toYaml).

Keys in keyList order, two-space indent, sequences inside mappings not indented. Scalar styles follow
encode.go stringv (plain unless the text would resolve to another type, literal when it holds a newline) and
libyaml's emitter (yaml_emitter_analyze_scalar / select_scalar_style fall back to single, then double
quotes), and plain and quoted scalars fold at spaces past column 80 (best_width) as the emitter writes them.
"""

from __future__ import annotations

from hubctl.engines.appset.gotmpl.values import format_float
from hubctl.engines.appset.sprig.yamlv2_resolve import plain_is_string, sort_key

_WIDTH = 80
_FIRST_INDICATORS = set("#,[]{}&*!|>'\"%@`")
_BREAKS = "\r\n\x85\u2028\u2029"
_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
            "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _printable(c: str) -> bool:
    o = ord(c)
    return o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)


def _analyze(text: str) -> tuple[bool, bool, bool]:
    """(plain allowed in block context, single quotes allowed, literal block allowed)."""
    if not text:
        return True, True, False
    block_ind = text[:3] in ("---", "...")
    special = line_breaks = break_space = space_break = False
    prev_space = prev_break = False
    preceded_ws = True
    for i, c in enumerate(text):
        followed_ws = i + 1 >= len(text) or text[i + 1] in " \t"
        if i == 0:
            if c in _FIRST_INDICATORS or (c in "?:-" and followed_ws):
                block_ind = True
        elif (c == ":" and followed_ws) or (c == "#" and preceded_ws):
            block_ind = True
        if not _printable(c):
            special = True
        if c == " ":
            break_space = break_space or prev_break
            prev_space, prev_break = True, False
        elif c in _BREAKS:
            line_breaks = True
            space_break = space_break or prev_space
            prev_space, prev_break = False, True
        else:
            prev_space = prev_break = False
        preceded_ws = c in " \t" + _BREAKS
    edges = text[0] == " " or text[-1] == " " or text[0] in _BREAKS or text[-1] in _BREAKS
    plain = not (edges or break_space or space_break or special or line_breaks or block_ind)
    single = not (break_space or space_break or special)
    block = not (text[-1] == " " or space_break or special)
    return plain, single, block


def _fold(text: str, column: int, indent: int, quoted: bool) -> str:
    """Write `text` from `column`, breaking at a single space once past column 80 (yaml_emitter_write_*).

    A quoted scalar may hold U+2028/U+2029: libyaml writes the character, counts it as a line break and
    indents the next character."""
    out, spaces, breaks = [], False, False
    for i, c in enumerate(text):
        if c == " ":
            inner = not quoted or 0 < i < len(text) - 1
            if not spaces and column > _WIDTH and inner and (i + 1 >= len(text) or text[i + 1] != " "):
                out.append("\n" + " " * indent)
                column = indent
            else:
                out.append(c)
                column += 1
            spaces = True
        elif c in _BREAKS:
            out.append(c)
            column, breaks = 0, True
        else:
            if breaks and column < indent:
                out.append(" " * (indent - column))
                column = indent
            out.append(c)
            column += 1
            spaces = breaks = False
    return "".join(out)


def _double(text: str, column: int, indent: int, fold: bool) -> str:
    out, spaces = ['"'], False
    column += 1
    bom = text.startswith("\ufeff")  # libyaml's is_bom looks at the first character only: all escaped
    for i, c in enumerate(text):
        if bom or not _printable(c) or c in _BREAKS or c in '"\\':
            o = ord(c)
            code = _ESCAPES.get(c) or (f"x{o:02X}" if o <= 0xFF else f"u{o:04X}" if o <= 0xFFFF else f"U{o:08X}")
            out.append("\\" + code)
            column += 1 + len(code)
            spaces = False
        elif c == " " and fold and not spaces and column > _WIDTH and 0 < i < len(text) - 1:
            out.append("\n" + " " * indent + ("\\" if text[i + 1] == " " else ""))
            column = indent
            spaces = True
        else:
            out.append(c)
            column += 1
            spaces = c == " "
    return "".join(out) + '"'


def scalar(text: str, column: int, indent: int, key: bool = False) -> str:
    """A string scalar as go-yaml v2 writes it, starting at `column`; continuation lines at `indent`."""
    plain_ok, single_ok, block_ok = _analyze(text)
    if "\n" in text and not key and block_ok:
        return _literal(text, indent)
    can_plain = "\n" not in text and plain_is_string(text)  # encode.go stringv: otherwise double quotes
    if can_plain and plain_ok:
        return text if key else _fold(text, column, indent, quoted=False)
    if can_plain and single_ok:
        body = text.replace("'", "''")
        return f"'{body}'" if key else "'" + _fold(body, column + 1, indent, quoted=True) + "'"
    return _double(text, column, indent, fold=not key)


def _literal(text: str, indent: int) -> str:
    hint = "2" if text[0] == " " or text[0] in _BREAKS else ""
    clip = "+" if len(text) == 1 or text[-2] in _BREAKS else ""
    chomp = "-" if text[-1] not in _BREAKS else clip
    body = text[:-1] if text.endswith("\n") else text
    lines = [(" " * indent + line) if line else "" for line in body.split("\n")]
    return f"|{hint}{chomp}\n" + "\n".join(lines)


def _number(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and -(2**63) <= value < 2**64:
        return str(value)
    s = format_float(float(value))
    return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)


def _value(value, column: int, indent: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, (bool, int, float)):
        return _number(value)
    return scalar(str(value), column, indent)


def _emit(value, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key in sorted(value, key=lambda k: sort_key(str(k))):
            head = f"{pad}{scalar(str(key), indent, indent + 2, key=True)}:"
            _entry(head, value[key], indent, out, False)
    else:
        for item in value:
            _entry(f"{pad}-", item, indent, out, True)


def _entry(head: str, item, indent: int, out: list[str], in_list: bool) -> None:
    if isinstance(item, dict) and item:
        if in_list:
            lines: list[str] = []
            _emit(item, indent + 2, lines)
            out.append(head + " " + lines[0].lstrip(" "))
            out.extend(lines[1:])
        else:
            out.append(head)
            _emit(item, indent + 2, out)
    elif isinstance(item, list) and item:
        if in_list:
            lines = []
            _emit(item, indent + 2, lines)
            out.append(head + " " + lines[0].lstrip(" "))
            out.extend(lines[1:])
        else:
            out.append(head)
            _emit(item, indent, out)
    elif isinstance(item, dict):
        out.append(head + " {}")
    elif isinstance(item, list):
        out.append(head + " []")
    else:
        out.append(head + " " + _value(item, len(head) + 1, indent + 2))


def dump_yaml_v2(value) -> str:
    """One document, ending in a newline."""
    if isinstance(value, (dict, list)) and value:
        out: list[str] = []
        _emit(value, 0, out)
        return "\n".join(out) + "\n"
    if isinstance(value, dict):
        return "{}\n"
    if isinstance(value, list):
        return "[]\n"
    return _value(value, 0, 2) + "\n"
